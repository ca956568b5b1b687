/* Markdown image uploads that fail (a refused file, a full or read-only disk) say
 * why, next to the editor: django-markdownx only writes "Invalid response" into the
 * text. Loaded by airml.admin.ModelAdmin's Media (the CSP forbids inline scripts).
 */
(function () {
  "use strict";

  function show(editor, messages) {
    var list = editor.querySelector(".airml-upload-errors");
    if (!list) {
      list = document.createElement("ul");
      list.className = "errorlist airml-upload-errors";
      list.setAttribute("role", "alert");
      editor.insertBefore(list, editor.firstChild);
    }
    list.textContent = "";
    messages.forEach(function (text) {
      var item = document.createElement("li");
      item.textContent = text;
      list.appendChild(item);
    });
  }

  function watch(editor) {
    editor.addEventListener("markdownx.fileUploadError", function (event) {
      var response = (event.detail && event.detail[0]) || {};
      var messages = [].concat(response.image || []);
      show(editor, messages.length ? messages : ["The image could not be uploaded."]);
    });
    editor.addEventListener("markdownx.fileUploadEnd", function () {
      var list = editor.querySelector(".airml-upload-errors");
      if (list) list.remove();
    });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll(".markdownx"), watch);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
