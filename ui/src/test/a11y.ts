import axe from "axe-core";

/**
 * Every screen state a test leaves on the page is checked by axe before it is cleared (issue 15,
 * point 8): a serious or critical accessibility issue fails the test that rendered it. Rules that
 * need a real layout (contrast, target size) cannot be judged in jsdom: the desktop journeys run
 * axe in the real WebView for those.
 */
export async function checkAccessibility(): Promise<void> {
  if (!document.body.firstElementChild || document.body.textContent?.trim() === "") return;
  const results = await axe.run(document.body, {
    resultTypes: ["violations"],
    rules: { "color-contrast": { enabled: false }, "target-size": { enabled: false } },
  });
  const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  if (serious.length > 0) {
    const lines = serious.map(
      (v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.map((n) => n.target.join(" ")).join("\n    ")}`,
    );
    throw new Error(`Accessibility (axe) on the screen this test left:\n  ${lines.join("\n  ")}`);
  }
}
