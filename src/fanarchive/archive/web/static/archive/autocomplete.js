// Suggestions for the tag fields of the filter and New Work forms. The forms work without this script.
(function () {
  "use strict";
  const endpoint = "/autocomplete/tags";
  document.querySelectorAll("input[data-autocomplete='tags']").forEach(function (input, index) {
    const list = document.createElement("datalist");
    list.id = "tag-suggestions-" + index;
    input.setAttribute("list", list.id);
    input.after(list);
    let timer = null;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(async function () {
        const parts = input.value.split(",");
        const term = parts.pop().trim();
        const head = parts.length ? parts.join(",") + ", " : "";
        if (term.length < 2) { list.replaceChildren(); return; }
        // The New Work form's fields each ask for their own kind of tag (data-tag-kind).
        const kind = input.dataset.tagKind ? "&kind=" + encodeURIComponent(input.dataset.tagKind) : "";
        const response = await fetch(endpoint + "?term=" + encodeURIComponent(term) + kind);
        if (!response.ok) { return; }
        const data = await response.json();
        list.replaceChildren(...data.tags.map(function (tag) {
          const option = document.createElement("option");
          option.value = head + tag.canonical_name;
          if (tag.canonical_id !== tag.id) { option.label = tag.name + " → " + tag.canonical_name; }
          return option;
        }));
      }, 150);
    });
  });
})();
