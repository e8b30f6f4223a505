-- Centrale server schema, version 5: the documents an e-mail carries (issue 14 §1, the letters of
-- issue 12 attached to the award notification). The outbox row holds a reference to the record
-- and the document (an order's id, the document's code such as `notification_letter` or
-- `information_letter-<provider id>`), not the PDF: the sender typesets it from the record when it
-- sends, dated with the message's own time, so the stored outbox stays small and a retry sends
-- the same letter. Written in the same transaction as the message.

CREATE TABLE mail_attachments (
    message_id TEXT NOT NULL REFERENCES mail_outbox (id),
    position BIGINT NOT NULL,
    order_id TEXT NOT NULL,
    document TEXT NOT NULL,
    PRIMARY KEY (message_id, position)
);
