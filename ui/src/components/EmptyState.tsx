import type { ReactNode } from "react";

/** Nothing to show yet: says what to do next, with the link or button that does it. */
export function EmptyState({ message, action, testId }: { message: string; action?: ReactNode; testId?: string }) {
  return (
    <div className="empty-state" data-testid={testId ?? "empty-state"}>
      <p>{message}</p>
      {action}
    </div>
  );
}
