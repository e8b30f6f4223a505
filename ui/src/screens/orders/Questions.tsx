/**
 * The providers' questions during the competition (who asked is recorded nowhere: the
 * commune and the centrale read the question alone) and, for the centrale while the
 * competition runs, the answer that every invited provider receives.
 */
import { useState } from "react";
import { api } from "../../api";
import { Button } from "../../components/Button";
import { ErrorPanel } from "../../components/ErrorPanel";
import { Field } from "../../components/Field";
import { AppError } from "../../errors";
import { formatDateTime } from "../../format";
import { useErrorText, useT } from "../../i18n";
import type { OrderDetail } from "../../bindings/OrderDetail";
import type { Question } from "../../bindings/Question";
import { fieldOf } from "./common";
import type { ReceiptData } from "./Actions";
import { useWho } from "./Actions";

export function Questions({ detail, canAnswer, onDone }: { detail: OrderDetail; canAnswer: boolean; onDone: (r: ReceiptData) => void }) {
  const t = useT();
  const questions = detail.order.questions;
  if (questions.length === 0) return null;
  return (
    <section className="section" aria-labelledby="order-questions-title" data-testid="order-questions">
      <h2 id="order-questions-title">{t("orders.questions.title")}</h2>
      <p>{t("orders.questions.explain")}</p>
      <ul className="plain-list">
        {questions.map((q) => (
          <li key={q.id} data-testid="order-question">
            <p>
              <strong>{t("orders.questions.question")}</strong> {q.text}{" "}
              <span className="muted">{t("orders.questions.askedAt", { when: formatDateTime(q.asked_at) })}</span>
            </p>
            {q.answer !== null ? (
              <p data-testid="order-question-answer">
                <strong>{t("orders.questions.answer")}</strong> {q.answer}
              </p>
            ) : canAnswer ? (
              <AnswerForm detail={detail} question={q} onDone={onDone} />
            ) : (
              <p className="muted">{t("orders.questions.unanswered")}</p>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

function AnswerForm({ detail, question, onDone }: { detail: OrderDetail; question: Question; onDone: (r: ReceiptData) => void }) {
  const t = useT();
  const errorText = useErrorText();
  const who = useWho();
  const [answer, setAnswer] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [failure, setFailure] = useState<AppError | null>(null);
  const [busy, setBusy] = useState(false);
  const id = `answer-${question.id}`;

  const send = async () => {
    setBusy(true);
    setFailure(null);
    try {
      await api.perform({ kind: "answer_question", input: { order_id: detail.order.id, question_id: question.id, answer: answer.trim() } });
    } catch (e) {
      const err = AppError.from(e);
      setBusy(false);
      if (fieldOf(err.params) === "answer") {
        setError(errorText(err));
      } else {
        // Any other refusal is shown above the button (`send` runs from a click: nothing
        // would catch a throw, the user would see nothing).
        setError(null);
        setFailure(err);
      }
      return;
    }
    setBusy(false);
    setError(null);
    onDone({
      title: t("orders.questions.receiptTitle"),
      what: t("orders.questions.receiptWhat", { question: question.text, answer: answer.trim() }),
      who,
      when: new Date().toISOString(),
    });
  };

  return (
    <div data-testid="answer-form">
      <Field
        type="textarea"
        id={id}
        label={t("orders.questions.answerLabel")}
        hint={t("orders.questions.answerHint")}
        required
        rows={3}
        value={answer}
        onChange={setAnswer}
        error={error}
        testId="answer-text"
      />
      {failure && <ErrorPanel error={failure} />}
      <Button variant="primary" onClick={() => void send()} disabled={busy} data-testid="answer-submit">
        {t("orders.questions.send")}
      </Button>
    </div>
  );
}
