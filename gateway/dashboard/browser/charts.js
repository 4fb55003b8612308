/* global document, window */
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from 'chart.js';

// Draws a figure (figures.js) as a Chart.js bar chart with its data table beside it: the same
// numbers, for screen readers (the canvas is described by the table) and for anyone who
// wants to read or copy them. Only what the bars need is registered from Chart.js.

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);

/** The charts on the page by figure id, for people's own tools and the browser test. */
const charts = {};
window.dashboardCharts = charts;

/** An element with attributes and children (text is always text: names from the API never become markup). */
export function el(tag, attributes = {}, children = []) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  element.append(...children);
  return element;
}

export function clearCharts() {
  for (const id of Object.keys(charts)) {
    charts[id].destroy();
    delete charts[id];
  }
}

/** Appends the figure to `container`, then draws its chart (Chart.js measures the canvas in the page). */
export function renderFigure(container, figure, format) {
  const tableId = `${figure.id}-table`;
  const show = (value) =>
    value === null ? (figure.hours ? 'none answered' : '') : figure.hours ? format.hours(value) : format.number(value);
  const table = el('table', { id: tableId, 'data-figure': figure.id }, [
    el('caption', {}, [figure.title]),
    el('thead', {}, [
      el(
        'tr',
        {},
        [figure.rowHeader, ...figure.columns].map((name) => el('th', { scope: 'col' }, [name])),
      ),
    ]),
    el(
      'tbody',
      {},
      figure.rows.map((row) =>
        el('tr', {}, [el('th', { scope: 'row' }, [row.label]), ...row.values.map((value) => el('td', {}, [show(value)]))]),
      ),
    ),
  ]);
  const drawn = figure.chart && figure.rows.length > 0;
  const canvas =
    drawn && el('canvas', { role: 'img', 'aria-label': figure.title, 'aria-describedby': tableId }, [`${figure.title}: see the table.`]);
  container.append(
    el('figure', { class: drawn ? 'figure' : 'figure table-only', id: figure.id }, [
      el('h3', {}, [figure.title]),
      ...(figure.rows.length === 0 ? [el('p', { class: 'empty' }, ['None in this period.'])] : []),
      ...(drawn ? [el('div', { class: 'chart' }, [canvas])] : []),
      table,
    ]),
  );
  if (drawn) charts[figure.id] = draw(canvas, figure, format.locale);
}

function draw(canvas, figure, locale) {
  const { stacked = false, horizontal = false, colours } = figure.chart;
  const valueAxis = { stacked, beginAtZero: true, ticks: { precision: 0 } };
  const labelAxis = { stacked };
  return new Chart(canvas, {
    type: 'bar',
    data: {
      labels: figure.rows.map((row) => row.label),
      datasets: figure.columns.map((column, index) => ({
        label: column,
        data: figure.rows.map((row) => row.values[index]),
        backgroundColor: colours[index],
      })),
    },
    options: {
      locale,
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      indexAxis: horizontal ? 'y' : 'x',
      scales: horizontal ? { x: valueAxis, y: labelAxis } : { x: labelAxis, y: valueAxis },
      plugins: { legend: { display: figure.columns.length > 1 } },
    },
  });
}
