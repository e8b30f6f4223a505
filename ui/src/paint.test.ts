import { describe, expect, it, vi } from "vitest";
import { afterNextPaint } from "./paint";

describe("afterNextPaint", () => {
  it("calls back after the next frame, not during it", async () => {
    const calls: string[] = [];
    afterNextPaint(() => calls.push("after the frame"));
    requestAnimationFrame(() => calls.push("the frame"));
    expect(calls).toEqual([]);
    await vi.waitFor(() => expect(calls).toEqual(["the frame", "after the frame"]));
  });

  it("does not call back once cancelled, before or during the frame", async () => {
    const callback = vi.fn();
    afterNextPaint(callback)();
    const cancelledInFrame = afterNextPaint(callback);
    requestAnimationFrame(() => cancelledInFrame());
    await new Promise((r) => requestAnimationFrame(r));
    await new Promise((r) => setTimeout(r, 20));
    expect(callback).not.toHaveBeenCalled();
  });
});
