/**
 * XSS vectors that call `__xss(tag)` (or open a dialog) if anything renders them as markup,
 * runs them as script or follows them as a URL. Each carries its own tag, so a hit names it.
 */
const TEMPLATES: readonly ((call: string) => string)[] = [
  (c) => `<script>${c}</script>`,
  (c) => `<img src=x onerror=${c}>`,
  (c) => `<svg onload=${c}>`,
  (c) => `<svg><script>${c}</script></svg>`,
  (c) => `<a href="javascript:${c}">open</a>`,
  (c) => `javascript:${c}`,
  (c) => `"><img src=x onerror=${c}>`,
  (c) => `'><svg/onload=${c}>`,
  (c) => `{{constructor.constructor('${c}')()}}`,
  (c) => `\${${c}}`,
  (c) => `{@html '<img src=x onerror=${c}>'}`,
  (c) => `<iframe srcdoc="<script>parent.${c}</script>"></iframe>`,
  (c) => `<details open ontoggle=${c}>`,
  (c) => `<body onload=${c}>`,
  (c) => `<input autofocus onfocus=${c}>`,
  (c) => `<video><source onerror=${c}></video>`,
  (c) => `<math><mtext><table><mglyph><style><img src=x onerror=${c}>`,
  (c) => `<object data="javascript:${c}"></object>`,
  (c) => `<scr<script>ipt>${c}</scr</script>ipt>`,
  (c) => `<div style="background:url(javascript:${c})">`,
  (c) => `</textarea><script>${c}</script>`,
  (c) => `<form><button formaction=javascript:${c}>go</button></form>`,
];

const WRAPPERS: readonly ((vector: string) => string)[] = [
  (v) => v,
  (v) => v.toUpperCase().replaceAll('__XSS', '__xss').replaceAll('ALERT', 'alert'),
  (v) => `Soup ${v}`,
  (v) => `${v} tail`,
  (v) => v.replaceAll(' ', '\t'),
  (v) => `&lt;${v}&gt;`,
  (v) => `<!--${v}-->`,
  (v) => `\u0000${v}`,
  (v) => `# ${v}`,
  (v) => `**${v}**`,
];

/** `count` distinct vectors; one in seven opens a dialog instead of calling the tripwire. */
export function xssVectors(count: number): string[] {
  const vectors: string[] = [];
  for (let i = 0; vectors.length < count; i++) {
    const template = TEMPLATES[i % TEMPLATES.length] as (call: string) => string;
    const wrap = WRAPPERS[Math.floor(i / TEMPLATES.length) % WRAPPERS.length] as (vector: string) => string;
    const call = i % 7 === 3 ? `alert(${i})` : `__xss(${i})`;
    vectors.push(wrap(template(call)));
  }
  return vectors;
}
