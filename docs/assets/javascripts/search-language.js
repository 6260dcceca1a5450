// Search only the pages of the language being read.
//
// mkdocs-static-i18n merges both languages into one search index, so on
// /ja/ a query like "ReLU" would list English and Japanese pages side by
// side. The hook docs/overrides/hooks/i18n_outputs.py also writes one index
// per language (search/search_index.<lang>.json); this script, loaded before
// Material's bundle, points the bundle's request at the page's language.
(function () {
  "use strict";
  var open = XMLHttpRequest.prototype.open;
  var combined = /\/search\/search_index\.json$/;

  XMLHttpRequest.prototype.open = function (method, url) {
    var args = Array.prototype.slice.call(arguments);
    var lang = document.documentElement.lang;
    if (/^[a-z]{2}$/.test(lang) && combined.test(String(url))) {
      args[1] = String(url).replace(combined, "/search/search_index." + lang + ".json");
    }
    return open.apply(this, args);
  };
})();
