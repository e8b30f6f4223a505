import { cleanup, render } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { checkAccessibility } from "./a11y";

describe("the accessibility check every test ends with", () => {
  it("fails on a serious issue: a button nobody can name", async () => {
    render(
      <main>
        <h1>{"Commande"}</h1>
        <button type="button" />
      </main>,
    );
    await expect(checkAccessibility()).rejects.toThrow(/button-name \(critical\)/);
    cleanup();
  });

  it("fails on a form field without a label", async () => {
    render(
      <main>
        <h1>{"Commande"}</h1>
        <input type="text" />
      </main>,
    );
    await expect(checkAccessibility()).rejects.toThrow(/label/);
    cleanup();
  });

  it("passes a labelled form", async () => {
    render(
      <main>
        <h1>{"Commande"}</h1>
        <label htmlFor="title">{"Intitulé"}</label>
        <input id="title" type="text" />
        <button type="submit">{"Envoyer"}</button>
      </main>,
    );
    await expect(checkAccessibility()).resolves.toBeUndefined();
  });
});
