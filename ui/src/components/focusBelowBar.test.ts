import { afterEach, describe, expect, it, vi } from "vitest";
import { keepFocusBelow, scrollToUncover } from "./focusBelowBar";

function rect(top: number, bottom: number): DOMRect {
  return { top, bottom, left: 0, right: 100, width: 100, height: bottom - top, x: 0, y: top, toJSON: () => ({}) };
}

describe("a focused field is never hidden under the sticky sync bar", () => {
  afterEach(() => {
    document.body.innerHTML = "";
  });

  it("scrolls up just enough when the field's top is under the bar", () => {
    expect(scrollToUncover(120, 40)).toBe(40 - 120 - 16);
    expect(scrollToUncover(120, 119)).toBe(-17);
  });

  it("leaves a field below the bar where it is", () => {
    expect(scrollToUncover(120, 120)).toBe(0);
    expect(scrollToUncover(120, 400)).toBe(0);
  });

  it("scrolls the page when the focus lands under the bar, and stops when asked", () => {
    const bar = document.createElement("section");
    const field = document.createElement("input");
    document.body.append(bar, field);
    vi.spyOn(bar, "getBoundingClientRect").mockReturnValue(rect(0, 120));
    vi.spyOn(field, "getBoundingClientRect").mockReturnValue(rect(60, 90));
    const scrollBy = vi.fn();
    window.scrollBy = scrollBy as unknown as typeof window.scrollBy;

    const stop = keepFocusBelow(() => bar);
    field.focus();
    expect(scrollBy).toHaveBeenCalledWith({ top: 60 - 120 - 16 });

    stop();
    field.blur();
    field.focus();
    expect(scrollBy).toHaveBeenCalledTimes(1);
  });
});
