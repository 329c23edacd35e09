// Data tables (class "data") become the design system's responsive table: on a phone each row is
// stacked and every cell is labelled with its column, so no column is clipped. The label is the
// cell's data-label, drawn by CSS (app.css), so the cell's own text stays exactly what it was. A table whose head
// is not one plain row of column titles instead scrolls inside a keyboard-reachable region.
function columnTitles(table) {
  const head = table.tHead;
  if (!head || head.rows.length !== 1) return null;
  const cells = Array.from(head.rows[0].cells);
  if (cells.some((cell) => cell.colSpan > 1 || cell.rowSpan > 1)) return null;
  return cells.map((cell) => cell.textContent.trim());
}

function makeResponsive(table, titles) {
  // display: block drops table semantics in some browsers: the roles keep them.
  table.classList.add("nhsuk-table-responsive");
  table.setAttribute("role", "table");
  table.tHead.classList.add("nhsuk-table__head");
  for (const group of [table.tHead, ...table.tBodies]) group.setAttribute("role", "rowgroup");
  for (const cell of table.tHead.rows[0].cells) cell.setAttribute("role", "columnheader");
  for (const body of table.tBodies) {
    body.classList.add("nhsuk-table__body");
    for (const row of body.rows) {
      row.setAttribute("role", "row");
      row.classList.add("nhsuk-table__row");
      let column = 0;
      for (const cell of row.cells) {
        cell.setAttribute("role", cell.tagName === "TH" ? "rowheader" : "cell");
        cell.classList.add(cell.tagName === "TH" ? "nhsuk-table__header" : "nhsuk-table__cell");
        const title = titles[column];
        column += cell.colSpan;
        if (title) cell.dataset.label = title;
      }
    }
  }
  table.tHead.rows[0].setAttribute("role", "row");
}

function makeScrollable(table) {
  const region = document.createElement("div");
  region.className = "table-scroll";
  region.tabIndex = 0;
  region.setAttribute("role", "region");
  const caption = table.caption ? table.caption.textContent.trim() : "";
  region.setAttribute("aria-label", caption || "Table (scrolls sideways)");
  table.replaceWith(region);
  region.append(table);
}

for (const table of document.querySelectorAll("main table.data:not(.nhsuk-table-responsive)")) {
  const titles = columnTitles(table);
  if (titles) makeResponsive(table, titles);
  else makeScrollable(table);
}
