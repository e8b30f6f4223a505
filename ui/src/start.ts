/**
 * The first reads, asked as the page's script starts evaluating (issue 19 §5): `main.tsx` imports
 * this module first, so that Rust reads the app state and the Accueil's orders while React and
 * the screens are still being evaluated (about 15 ms on a PC of 2 cores), not after.
 */
import { askEarly } from "./early";

askEarly(window.location.hash);
