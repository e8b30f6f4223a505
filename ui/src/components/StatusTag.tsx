import { Icon, type IconName } from "./Icon";

/** The colour family of a status; each has its own icon, and the words say the status. */
export type Tone = "neutral" | "info" | "success" | "warning" | "danger" | "pending";

const ICONS: Record<Tone, IconName> = {
  neutral: "info",
  info: "info",
  success: "check",
  warning: "warning",
  danger: "error",
  pending: "clock",
};

/** A status in words + colour + icon (never colour alone). */
export function StatusTag({ tone, label, icon, testId }: { tone: Tone; label: string; icon?: IconName; testId?: string }) {
  return (
    <span className={`tag tag--${tone}`} data-testid={testId}>
      <Icon name={icon ?? ICONS[tone]} />
      <span>{label}</span>
    </span>
  );
}
