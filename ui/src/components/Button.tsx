import type { ButtonHTMLAttributes, ReactNode } from "react";

/** How much a button weighs: one `primary` per screen; `danger` for what cannot be undone. */
export type ButtonVariant = "primary" | "secondary" | "danger" | "link";

type Props = ButtonHTMLAttributes<HTMLButtonElement> & {
  variant?: ButtonVariant;
  /** Shows the button as working and ignores clicks (the label stays: it says what happens). */
  busy?: boolean;
  children: ReactNode;
};

/** A button whose label says what happens (« Signer la convention », not « OK »). */
export function Button({ variant = "secondary", busy = false, disabled, className, type = "button", children, ...rest }: Props) {
  return (
    <button
      type={type}
      className={`button button--${variant}${className ? ` ${className}` : ""}`}
      disabled={disabled || busy}
      aria-busy={busy || undefined}
      {...rest}
    >
      {children}
    </button>
  );
}
