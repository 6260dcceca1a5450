// Make the copy button of a ```pycon block copy runnable code.
//
// Material copies a block's text as shown, so a doctest would be pasted
// with its ">>> " prompts and its output lines. Material copies the
// `data-copy` attribute of the nearest ancestor instead when there is one;
// this script sets it to the source lines only, read the way doctest reads
// them: a line starting with ">>>" opens an example, lines starting with
// "..." continue it, and any other line is output.
(function () {
  "use strict";

  function sourceOnly(text) {
    var lines = [];
    var inExample = false;
    text.split("\n").forEach(function (line) {
      var prompt = line.slice(0, 3);
      var rest = line.length > 3 && line[3] === " " ? line.slice(4) : line.slice(3);
      if (prompt === ">>>" && (line.length === 3 || line[3] === " ")) {
        inExample = true;
        lines.push(rest);
      } else if (inExample && prompt === "..." && (line.length === 3 || line[3] === " ")) {
        lines.push(rest);
      } else {
        inExample = false;
      }
    });
    return lines.join("\n");
  }

  function markPyconBlocks() {
    document.querySelectorAll(".language-pycon.highlight").forEach(function (block) {
      var code = block.querySelector("pre > code");
      if (code) block.setAttribute("data-copy", sourceOnly(code.textContent));
    });
  }

  if (typeof document$ !== "undefined") {
    document$.subscribe(markPyconBlocks);  // every page, also with instant loading
  } else {
    document.addEventListener("DOMContentLoaded", markPyconBlocks);
  }
})();
