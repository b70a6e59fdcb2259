/**
 * HTML (as LMSs store question text) ↔ Rounds' question text. Rounds stores stems, choices and
 * explanations as plain text shown with `white-space: pre-wrap` and escaped by React, so nothing of the
 * HTML survives as markup: script, style and the like are dropped with their content, every other tag
 * (and so every event handler and URL in it) is dropped, and only its text and line structure stay.
 * Images are not text: their src and alt are returned for the media step. Pure string work (no DOM),
 * so it runs the same in the browser and in the tests.
 */

export interface HtmlImage {
  src: string;
  alt: string;
}

export interface TextWithImages {
  text: string;
  images: HtmlImage[];
}

// Elements whose content is never text for a reader.
const DROP_CONTENT = new Set(['script', 'style', 'head', 'title', 'noscript', 'template', 'iframe', 'svg', 'math', 'object', 'embed', 'video', 'audio', 'select', 'textarea', 'button']);
const BLOCK = new Set([
  'p', 'div', 'section', 'article', 'header', 'footer', 'aside', 'main', 'nav', 'blockquote', 'pre', 'figure', 'figcaption', 'address',
  'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'ul', 'ol', 'dl', 'table', 'thead', 'tbody', 'tfoot', 'hr', 'center', 'form', 'fieldset',
]);
const LINE = new Set(['br', 'li', 'tr', 'dt', 'dd', 'caption']);

const NAMED: Record<string, string> = {
  nbsp: ' ', amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", copy: '©', reg: '®', trade: '™', deg: '°', plusmn: '±', micro: 'µ',
  middot: '·', times: '×', divide: '÷', ndash: '–', mdash: '—', lsquo: '‘', rsquo: '’', sbquo: '‚', ldquo: '“', rdquo: '”', bdquo: '„',
  hellip: '…', bull: '•', laquo: '«', raquo: '»', para: '¶', sect: '§', shy: '', zwnj: '', zwj: '', thinsp: ' ', ensp: ' ', emsp: ' ',
  prime: '′', Prime: '″', permil: '‰', frac12: '½', frac14: '¼', frac34: '¾', sup1: '¹', sup2: '²', sup3: '³', ordm: 'º', ordf: 'ª',
  le: '≤', ge: '≥', ne: '≠', asymp: '≈', equiv: '≡', infin: '∞', minus: '−', radic: '√', sum: '∑', prop: '∝', part: '∂',
  larr: '←', rarr: '→', uarr: '↑', darr: '↓', harr: '↔', rArr: '⇒', lArr: '⇐', hArr: '⇔',
  alpha: 'α', beta: 'β', gamma: 'γ', delta: 'δ', epsilon: 'ε', zeta: 'ζ', eta: 'η', theta: 'θ', iota: 'ι', kappa: 'κ', lambda: 'λ',
  mu: 'μ', nu: 'ν', xi: 'ξ', omicron: 'ο', pi: 'π', rho: 'ρ', sigma: 'σ', tau: 'τ', upsilon: 'υ', phi: 'φ', chi: 'χ', psi: 'ψ', omega: 'ω',
  Alpha: 'Α', Beta: 'Β', Gamma: 'Γ', Delta: 'Δ', Theta: 'Θ', Lambda: 'Λ', Pi: 'Π', Sigma: 'Σ', Phi: 'Φ', Psi: 'Ψ', Omega: 'Ω',
  aacute: 'á', agrave: 'à', acirc: 'â', auml: 'ä', atilde: 'ã', aring: 'å', aelig: 'æ', ccedil: 'ç', eacute: 'é', egrave: 'è', ecirc: 'ê',
  euml: 'ë', iacute: 'í', igrave: 'ì', icirc: 'î', iuml: 'ï', ntilde: 'ñ', oacute: 'ó', ograve: 'ò', ocirc: 'ô', ouml: 'ö', otilde: 'õ',
  oslash: 'ø', uacute: 'ú', ugrave: 'ù', ucirc: 'û', uuml: 'ü', yacute: 'ý', yuml: 'ÿ', szlig: 'ß', Eacute: 'É', Auml: 'Ä', Ouml: 'Ö', Uuml: 'Ü',
  euro: '€', pound: '£', yen: '¥', cent: '¢', iexcl: '¡', iquest: '¿',
};

/** Decodes HTML character references (the common named ones and all numeric ones). */
export function decodeHtmlEntities(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(#[xX][0-9a-fA-F]+|#[0-9]+|[A-Za-z][A-Za-z0-9]*);/g, (whole, ref: string) => {
    if (ref.startsWith('#')) {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED[ref] ?? whole;
  });
}

function attribute(attrs: string, name: string): string | null {
  const re = new RegExp(`(?:^|\\s)${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s"'>]+))`, 'i');
  const m = re.exec(attrs);
  return m ? decodeHtmlEntities(m[1] ?? m[2] ?? m[3] ?? '') : null;
}

// No alternative of a tag crosses a "<", so an unterminated tag costs the distance to the next "<", and
// hostile input ("<a<a<a…", '<a "<a "…') stays linear instead of rescanning the rest of the text.
const TOKEN = /<!--[\s\S]*?(?:-->|$)|<!\[CDATA\[[\s\S]*?(?:\]\]>|$)|<![^<>]*>|<\?[^<>]*>|<(\/?)([a-zA-Z][\w:-]*)((?:[^<>"']|"[^"<]*"|'[^'<]*')*)>/g;

// Markers for line structure while text is assembled; they never occur in decoded text (private use).
const BREAK = '\uE000';
const PARA = '\uE001';

/** The text of an HTML fragment: paragraphs become blank lines, <br> and list items new lines. */
export function htmlToText(html: string): TextWithImages {
  const images: HtmlImage[] = [];
  let out = '';
  let dropUntil: string | null = null;
  let last = 0;
  const addText = (raw: string) => {
    if (dropUntil) return;
    out += decodeHtmlEntities(raw.replace(/[\uE000\uE001]/g, '')).replace(/[ \t\n\r\f]+/g, ' ');
  };
  for (const m of html.matchAll(TOKEN)) {
    addText(html.slice(last, m.index));
    last = m.index + m[0].length;
    const name = (m[2] ?? '').toLowerCase().replace(/^.*:/, '');
    if (!name) continue; // comment, CDATA marker, doctype, processing instruction
    const closing = m[1] === '/';
    if (dropUntil) {
      if (closing && name === dropUntil) dropUntil = null;
      continue;
    }
    const attrs = m[3] ?? '';
    if (DROP_CONTENT.has(name)) {
      if (!closing && !attrs.trimEnd().endsWith('/')) dropUntil = name;
      continue;
    }
    if (name === 'img' && !closing) {
      const src = attribute(attrs, 'src');
      if (src) images.push({ src, alt: (attribute(attrs, 'alt') ?? '').trim() });
    } else if (name === 'br') out += closing ? '' : BREAK;
    else if (name === 'li' && !closing) out += `${BREAK}• `;
    else if (LINE.has(name)) out += closing ? '' : BREAK;
    else if (BLOCK.has(name)) out += PARA;
    else if ((name === 'td' || name === 'th') && !closing) out += ' ';
  }
  addText(html.slice(last));
  const text = out
    .split(PARA)
    .map((para) =>
      para
        .split(BREAK)
        .map((line) => line.replace(/\u00a0/g, ' ').replace(/ {2,}/g, ' ').trim())
        .filter((line, i, lines) => line !== '' || (i > 0 && i < lines.length - 1))
        .join('\n')
        .replace(/\n{3,}/g, '\n\n')
        .trim(),
    )
    .filter((para) => para !== '')
    .join('\n\n');
  return { text, images };
}

/** True when `s` looks like it holds HTML tags (for formats where HTML is optional, as GIFT's [moodle]). */
export const looksLikeHtml = (s: string) => /<\/?[a-zA-Z][\w:-]*(?:\s[^>]*)?\/?>/.test(s);

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * Rounds text → XHTML that htmlToText reads back to the same text: blank-line-separated paragraphs in
 * <p>, single newlines as <br/>. `inline` leaves out the <p> (for choices, whose content QTI wants flat).
 */
export function textToHtml(text: string, inline = false): string {
  const paras = text
    .trim()
    .split(/\n\s*\n/)
    .map((p) => p.split('\n').map(escapeHtml).join('<br/>'));
  return inline ? paras.join('<br/><br/>') : paras.map((p) => `<p>${p}</p>`).join('');
}
