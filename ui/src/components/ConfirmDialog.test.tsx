import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ConfirmDialog } from "./ConfirmDialog";

/** The app's root, as `main.tsx` finds it, with the button that opened the dialog. */
function appRoot() {
  const root = document.createElement("div");
  root.id = "root";
  document.body.appendChild(root);
  return root;
}

afterEach(() => document.getElementById("root")?.remove());

describe("ConfirmDialog — modal for screen readers too (issue 15.8)", () => {
  it("is a labelled modal dialog outside the app, the app inert behind it until it closes", async () => {
    const root = appRoot();
    const onCancel = vi.fn();
    const { rerender } = render(
      <>
        <button type="button">{"Signer"}</button>
        <ConfirmDialog title="Signer la convention ?" confirmLabel="Signer la convention" onConfirm={() => {}} onCancel={onCancel}>
          <p>{"Vous allez signer la convention."}</p>
        </ConfirmDialog>
      </>,
      { container: root },
    );
    const dialog = screen.getByRole("dialog", { name: "Signer la convention ?" });
    expect(dialog).toHaveAttribute("aria-modal", "true");
    expect(dialog).toHaveAccessibleDescription("Vous allez signer la convention.");
    expect(root.contains(dialog)).toBe(false);
    expect(root).toHaveAttribute("inert");

    // The focus starts on « Annuler » and stays inside: Tab from the last goes to the first.
    const user = userEvent.setup();
    expect(screen.getByTestId("confirm-cancel")).toHaveFocus();
    await user.tab();
    expect(screen.getByTestId("confirm-accept")).toHaveFocus();
    await user.tab({ shift: true });
    expect(screen.getByTestId("confirm-cancel")).toHaveFocus();
    await user.keyboard("{Escape}");
    expect(onCancel).toHaveBeenCalledTimes(1);

    // Closed: the app can be read and reached again.
    rerender(<button type="button">{"Signer"}</button>);
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
    expect(root).not.toHaveAttribute("inert");
  });
});
