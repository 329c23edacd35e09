// The design system's behaviour (the header menu that collapses on a phone, error summary focus,
// skip link, buttons, checkboxes) for every component on the page, and responsive data tables.
import { initAll } from "../vendor/nhsuk/nhsuk-frontend.min.js";
import "./tables.js";

initAll();
