// Runs first in <body>: tells the design system's CSS that its scripts will run (as its template's
// inline snippet does; our Content-Security-Policy allows no inline script).
document.body.className += " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " nhsuk-frontend-supported" : "");
