import { render } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { App } from "../App";

/** Opens the whole app at `path` (hash route), as the user would see it. */
export function renderApp(path = "/") {
  window.location.hash = `#${path}`;
  const user = userEvent.setup();
  return { user, ...render(<App />) };
}
