// The design system's behaviour: the header menu that collapses on a phone, error summary focus,
// skip link, responsive tables and the rest, for every component on the page.
import { initAll } from "../vendor/nhsuk/nhsuk-frontend.min.js";

initAll();
