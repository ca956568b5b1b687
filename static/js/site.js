// Theme toggle: follows prefers-color-scheme until the visitor chooses; the choice
// lives in localStorage (no cookie). The page works fully without this script.
(function () {
  var root = document.documentElement;
  var stored = null;
  try { stored = localStorage.getItem("theme"); } catch (e) { /* storage disabled */ }
  if (stored === "dark" || stored === "light") root.setAttribute("data-theme", stored);
  document.addEventListener("DOMContentLoaded", function () {
    var button = document.querySelector("[data-theme-toggle]");
    if (!button) return;
    button.hidden = false;
    var isDark = function () {
      var forced = root.getAttribute("data-theme");
      if (forced) return forced === "dark";
      return window.matchMedia("(prefers-color-scheme: dark)").matches;
    };
    var sync = function () { button.setAttribute("aria-pressed", isDark() ? "true" : "false"); };
    sync();
    button.addEventListener("click", function () {
      var next = isDark() ? "light" : "dark";
      root.setAttribute("data-theme", next);
      try { localStorage.setItem("theme", next); } catch (e) { /* ignore */ }
      sync();
    });
  });
})();

// "Copy BibTeX": the <details> block works without script; this adds one-click copy.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    if (!navigator.clipboard) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      var code = button.closest("details").querySelector("pre");
      navigator.clipboard.writeText(code.textContent).then(function () {
        button.textContent = "Copied";
        setTimeout(function () { button.textContent = "Copy BibTeX"; }, 2000);
      });
    });
  });
});

// The header stays one row: when the menu does not fit beside the lab's name on a
// wide screen, it moves into the "Menu" disclosure (as below 60rem without script).
(function () {
  var root = document.documentElement;
  var fit = function () {
    var menu = document.querySelector(".menu");
    if (!menu) return;
    var tight = function () { return menu.scrollWidth > menu.clientWidth + 1; };
    root.classList.remove("menu-collapsed", "search-collapsed");
    if (tight()) root.classList.add("search-collapsed");  // first the search box goes
    if (tight()) root.classList.add("menu-collapsed");  // then the menu into "Menu"
  };
  document.addEventListener("DOMContentLoaded", fit);
  var timer;
  window.addEventListener("resize", function () { clearTimeout(timer); timer = setTimeout(fit, 100); });
})();
