/**
 * Confirmation for acts with legal weight or that cannot be undone (signing, awarding,
 * sending, abandoning). The dialog shows exactly what will be signed or sent (`children`),
 * keeps the focus inside while open, closes with Esc, and gives the focus back on close.
 *
 * Modal for screen readers too (issue 15, point 8): drawn outside the app's root, which is
 * made `inert` while the dialog is open, so that nothing behind it can be read or reached.
 */
import { useEffect, useId, useRef, useState, type ReactNode } from "react";
import { createPortal } from "react-dom";
import { AppError } from "../errors";
import { useT } from "../i18n";
import { Button } from "./Button";
import { ErrorPanel } from "./ErrorPanel";

type Props = {
  title: string;
  /** What will be signed, sent or lost, exactly. */
  children: ReactNode;
  /** Says what happens: « Signer la convention », « Abandonner la modification ». */
  confirmLabel: string;
  cancelLabel?: string;
  /** `danger` for what cannot be undone. */
  tone?: "primary" | "danger";
  /** May return a promise: the dialog shows it is working, and shows a failure in place. */
  onConfirm: () => void | Promise<void>;
  onCancel: () => void;
};

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

export function ConfirmDialog({ title, children, confirmLabel, cancelLabel, tone = "primary", onConfirm, onCancel }: Props) {
  const t = useT();
  const titleId = useId();
  const bodyId = useId();
  const dialogRef = useRef<HTMLDivElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);

  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const app = document.getElementById("root");
    const wasInert = app?.hasAttribute("inert") ?? false;
    app?.setAttribute("inert", "");
    dialogRef.current?.querySelector<HTMLElement>("[data-autofocus]")?.focus();
    return () => {
      if (!wasInert) app?.removeAttribute("inert");
      opener?.focus();
    };
  }, []);

  // Esc closes; Tab and Shift+Tab cycle inside the dialog.
  const busyRef = useRef(busy);
  busyRef.current = busy;
  const cancelRef = useRef(onCancel);
  cancelRef.current = onCancel;
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      const dialog = dialogRef.current;
      if (!dialog) return;
      if (event.key === "Escape") {
        event.preventDefault();
        if (!busyRef.current) cancelRef.current();
        return;
      }
      if (event.key !== "Tab") return;
      const items = Array.from(dialog.querySelectorAll<HTMLElement>(FOCUSABLE));
      const first = items[0];
      const last = items[items.length - 1];
      if (!first || !last) return;
      const inside = dialog.contains(document.activeElement);
      if (event.shiftKey && (document.activeElement === first || !inside)) {
        event.preventDefault();
        last.focus();
      } else if (!event.shiftKey && (document.activeElement === last || !inside)) {
        event.preventDefault();
        first.focus();
      }
    };
    document.addEventListener("keydown", onKeyDown);
    return () => document.removeEventListener("keydown", onKeyDown);
  }, []);

  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      await onConfirm();
      // Usually the dialog is gone by now; when it stays (a code to type again, shown under
      // its field), it is ready for another try.
      setBusy(false);
    } catch (e) {
      setError(AppError.from(e));
      setBusy(false);
    }
  };

  return createPortal(
    <div className="dialog-backdrop">
      <div
        className="dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        aria-describedby={bodyId}
        ref={dialogRef}
        data-testid="confirm-dialog"
      >
        <h2 className="dialog__title" id={titleId}>
          {title}
        </h2>
        <div className="dialog__body" id={bodyId}>
          {children}
        </div>
        {error && <ErrorPanel error={error} />}
        <div className="button-group">
          <Button variant={tone} busy={busy} onClick={() => void confirm()} data-testid="confirm-accept">
            {confirmLabel}
          </Button>
          <Button variant="secondary" onClick={onCancel} disabled={busy} data-autofocus data-testid="confirm-cancel">
            {cancelLabel ?? t("confirm.cancel")}
          </Button>
        </div>
      </div>
    </div>,
    document.body,
  );
}
