// The document page: select a record from the text or the table, decide with the keyboard,
// add a missed figure from a selection. Loaded as a file: the page's policy forbids inline script.
(function () {
  "use strict";

  const article = document.getElementById("article");
  const table = document.getElementById("records");
  if (!table) {
    return; // not the document page
  }
  const rows = Array.from(table.querySelectorAll("tr.record-row"));
  const ids = rows.map((row) => row.dataset.record);
  const selectedRow = rows.find((row) => row.classList.contains("selected"));
  let current = selectedRow ? selectedRow.dataset.record : ids[0];
  let picked = null; // the last selection inside the article: {start, end, text}

  function marked(attribute, id) {
    if (!article) {
      return [];
    }
    return Array.from(article.querySelectorAll(".seg[" + attribute + "]")).filter((seg) =>
      seg.getAttribute(attribute).split(" ").includes(id)
    );
  }

  function select(id, scrollText, scrollRow) {
    if (!id) {
      return;
    }
    current = id;
    rows.forEach((row) => row.classList.toggle("selected", row.dataset.record === id));
    document.querySelectorAll("section.panel").forEach((panel) => {
      panel.hidden = panel.dataset.record !== id;
    });
    if (article) {
      article.querySelectorAll(".sel, .ev-on").forEach((seg) => seg.classList.remove("sel", "ev-on"));
    }
    const spans = marked("data-records", id);
    spans.forEach((seg) => seg.classList.add("sel"));
    marked("data-evidence", id).forEach((seg) => seg.classList.add("ev-on"));
    if (scrollText && spans.length) {
      spans[0].scrollIntoView({ block: "center" });
    }
    const row = document.getElementById("r-" + id);
    if (scrollRow && row) {
      row.scrollIntoView({ block: "nearest" });
    }
    const address = new URL(window.location.href);
    address.searchParams.set("sel", id);
    address.hash = "";
    window.history.replaceState(null, "", address.toString());
  }

  function step(by) {
    const at = ids.indexOf(current);
    const next = ids[Math.min(ids.length - 1, Math.max(0, at + by))];
    select(next, true, true);
  }

  // Offsets in the stored text: each segment carries its start; inside it, count code points
  // (the stored offsets are Python's, JavaScript counts UTF-16 units).
  function textOffset(node, offset) {
    if (node.nodeType === Node.TEXT_NODE) {
      const seg = node.parentElement.closest(".seg");
      return seg ? Number(seg.dataset.start) + Array.from(node.data.slice(0, offset)).length : null;
    }
    const seg = node.closest ? node.closest(".seg") : null;
    if (seg) {
      return Number(seg.dataset.start) + (offset > 0 ? Array.from(seg.textContent).length : 0);
    }
    if (node === article) {
      const child = article.children[offset];
      if (child) {
        return Number(child.dataset.start);
      }
      const last = article.lastElementChild;
      return last ? Number(last.dataset.start) + Array.from(last.textContent).length : 0;
    }
    return null;
  }

  function rememberSelection() {
    const selection = window.getSelection();
    if (!article || !selection || selection.isCollapsed || selection.rangeCount === 0) {
      return;
    }
    const range = selection.getRangeAt(0);
    if (!article.contains(range.startContainer) || !article.contains(range.endContainer)) {
      return;
    }
    const start = textOffset(range.startContainer, range.startOffset);
    const end = textOffset(range.endContainer, range.endOffset);
    if (start !== null && end !== null && end > start) {
      picked = { start: start, end: end, text: selection.toString() };
    }
  }

  function fillAdd() {
    if (!picked) {
      return;
    }
    document.getElementById("add-start").value = String(picked.start);
    document.getElementById("add-end").value = String(picked.end);
    document.getElementById("add-text").value = picked.text;
    const value = document.getElementById("add-value");
    const digits = picked.text.replace(/[\s\u00a0\u202f]/g, "").replace(",", ".");
    if (value && !value.value && /^-?\d+(\.\d+)?$/.test(digits)) {
      value.value = digits;
    }
  }

  function openAdd() {
    const panel = document.getElementById("add-panel");
    if (!panel) {
      return;
    }
    fillAdd();
    panel.open = true;
    panel.scrollIntoView({ block: "nearest" });
    const first = document.getElementById(picked ? "add-value" : "add-start");
    if (first) {
      first.focus();
    }
  }

  function panelOf(id) {
    return document.getElementById("panel-" + id);
  }

  function submitVerdict(verdict) {
    const panel = panelOf(current);
    const button = panel ? panel.querySelector("form.verdict button[value='" + verdict + "']") : null;
    if (button) {
      button.form.requestSubmit(button);
    }
  }

  function openFix() {
    const panel = panelOf(current);
    const fix = panel ? panel.querySelector("details.fix") : null;
    if (fix) {
      fix.open = true;
      const first = fix.querySelector("input, select");
      if (first) {
        first.focus();
      }
    }
  }

  function typing(target) {
    return target.closest("input, textarea, select, [contenteditable]") !== null;
  }

  const keys = {
    j: () => step(1),
    k: () => step(-1),
    y: () => submitVerdict("right"),
    n: () => submitVerdict("wrong"),
    e: openFix,
    a: openAdd,
  };

  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      document.querySelectorAll("details[open]").forEach((open) => (open.open = false));
      document.activeElement.blur();
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) {
      return;
    }
    const action = keys[event.key];
    if (action) {
      event.preventDefault();
      action();
    }
  });

  if (article) {
    article.addEventListener("mouseup", rememberSelection);
    article.addEventListener("keyup", rememberSelection);
    article.addEventListener("click", (event) => {
      const selection = window.getSelection();
      if (selection && !selection.isCollapsed) {
        return; // selecting text to add, not choosing a record
      }
      const seg = event.target.closest(".seg[data-records]");
      if (!seg) {
        return;
      }
      // overlapping figures: each click on the same spot takes the next one
      const here = seg.dataset.records.split(" ");
      const at = here.indexOf(current);
      select(at >= 0 ? here[(at + 1) % here.length] : here[0], false, true);
    });
  }
  document.addEventListener("selectionchange", rememberSelection);

  rows.forEach((row) => {
    row.addEventListener("click", (event) => {
      if (event.target.closest("a")) {
        event.preventDefault();
      }
      select(row.dataset.record, true, false);
    });
  });

  const add = document.getElementById("add-panel");
  if (add) {
    add.addEventListener("toggle", () => {
      if (add.open) {
        fillAdd();
      }
    });
  }

  select(current, true, true);
})();
