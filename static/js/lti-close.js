// LTI Dynamic Registration 1.0: tell the platform that opened this page that the registration is finished.
document.querySelectorAll("[data-lti-close]").forEach(function (button) {
  button.addEventListener("click", function () {
    (window.opener || window.parent).postMessage({subject: "org.imsglobal.lti.close"}, "*");
  });
});
