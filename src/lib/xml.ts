/**
 * A small, non-validating XML reader for the question-bank formats (Moodle XML, QTI 2.x and its IMS
 * manifest), and the escaping their writers need. Why not DOMParser: it does not exist in Node, where
 * the parsers are tested, and the files are untrusted. Contract:
 * - elements, attributes, text, CDATA; comments and processing instructions are dropped;
 * - the five predefined entities and numeric references are decoded; an unknown named entity (e.g.
 *   `&nbsp;` that an LMS wrote unescaped) is kept as written, for the HTML step to decode;
 * - no DTD: a DOCTYPE with an internal subset (where entity bombs live) is refused, an external one is
 *   skipped and never fetched;
 * - namespaces are not resolved: compare local names (`localName`), as the formats are written with
 *   and without prefixes;
 * - limits: nesting depth and node count (an XML nested 1000 deep or with millions of nodes is an error,
 *   not a stack overflow or a hang). Errors are XmlError with the line where the problem is.
 */

export interface XmlElement {
  /** As written, with any prefix (`imsmd:lom`). */
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
}
export type XmlNode = XmlElement | string;

export class XmlError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(`${message} (line ${line})`);
    this.name = 'XmlError';
  }
}

export interface XmlLimits {
  /** Deepest element nesting accepted (QTI items are rarely deeper than 20). */
  maxDepth: number;
  /** Elements plus text nodes. */
  maxNodes: number;
}

const DEFAULT_LIMITS: XmlLimits = { maxDepth: 100, maxNodes: 1_000_000 };
const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
const NAME = /[^\s/>=<"']+/y;
const ATTR = /\s*([^\s/>=<"']+)\s*=\s*(?:"([^"]*)"|'([^']*)')/y;

/** Decodes the predefined entities and character references; unknown names stay as written. */
export function decodeXmlEntities(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[A-Za-z][A-Za-z0-9]*);/g, (whole, ref: string) => {
    if (ref.startsWith('#')) {
      const code = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return PREDEFINED[ref] ?? whole;
  });
}

/** Parses `text` and returns its root element. */
export function parseXml(text: string, limits: XmlLimits = DEFAULT_LIMITS): XmlElement {
  const src = text.replace(/^\uFEFF/, '');
  let i = 0;
  let nodes = 0;
  let root: XmlElement | null = null;
  const stack: XmlElement[] = [];
  const lineAt = (at: number) => {
    let line = 1;
    for (let k = 0; k < at && k < src.length; k++) if (src.charCodeAt(k) === 10) line++;
    return line;
  };
  function fail(message: string, at = i): never {
    throw new XmlError(message, lineAt(at));
  }
  const count = () => {
    if (++nodes > limits.maxNodes) fail(`The XML has more than ${limits.maxNodes} nodes`);
  };
  const skipPast = (end: string, what: string) => {
    const k = src.indexOf(end, i);
    if (k < 0) fail(`Unclosed ${what}`);
    const body = src.slice(i, k);
    i = k + end.length;
    return body;
  };

  while (i < src.length) {
    const lt = src.indexOf('<', i);
    const textEnd = lt < 0 ? src.length : lt;
    if (textEnd > i) {
      const raw = src.slice(i, textEnd);
      const top = stack.at(-1);
      if (top) {
        count();
        top.children.push(decodeXmlEntities(raw));
      } else if (raw.trim() !== '') fail('Text outside the root element');
      i = textEnd;
      continue;
    }
    if (src.startsWith('<!--', i)) {
      i += 4;
      skipPast('-->', 'comment');
    } else if (src.startsWith('<![CDATA[', i)) {
      const top = stack.at(-1);
      if (!top) fail('CDATA outside the root element');
      i += 9;
      const body = skipPast(']]>', 'CDATA section');
      count();
      top.children.push(body);
    } else if (src.startsWith('<?', i)) {
      i += 2;
      skipPast('?>', 'processing instruction');
    } else if (src.startsWith('<!DOCTYPE', i) || src.startsWith('<!doctype', i)) {
      const close = src.indexOf('>', i);
      if (close < 0) fail('Unclosed DOCTYPE');
      if (src.slice(i, close).includes('[')) fail('DTD declarations are not allowed');
      i = close + 1;
    } else if (src.startsWith('</', i)) {
      i += 2;
      NAME.lastIndex = i;
      const m = NAME.exec(src);
      const name = m?.[0] ?? '';
      i += name.length;
      while (i < src.length && /\s/.test(src.charAt(i))) i++;
      if (src.charAt(i) !== '>') fail(`Malformed closing tag </${name}`);
      i++;
      const open = stack.pop();
      if (!open) fail(`Closing tag </${name}> without an opening tag`);
      if (open.name !== name) fail(`Expected </${open.name}>, found </${name}>`);
    } else {
      const start = i;
      i++;
      NAME.lastIndex = i;
      const m = NAME.exec(src);
      if (!m) fail('Malformed tag');
      const name = m[0];
      i += name.length;
      const attrs: Record<string, string> = {};
      for (;;) {
        ATTR.lastIndex = i;
        const a = ATTR.exec(src);
        if (!a) break;
        attrs[a[1] ?? ''] = decodeXmlEntities(a[2] ?? a[3] ?? '');
        i = ATTR.lastIndex;
      }
      while (i < src.length && /\s/.test(src.charAt(i))) i++;
      const selfClosing = src.startsWith('/>', i);
      if (!selfClosing && src.charAt(i) !== '>') fail(`Malformed tag <${name}`, start);
      i += selfClosing ? 2 : 1;
      const element: XmlElement = { name, attrs, children: [] };
      count();
      const parent = stack.at(-1);
      if (parent) parent.children.push(element);
      else if (root) fail('A second root element', start);
      else root = element;
      if (!selfClosing) {
        stack.push(element);
        if (stack.length > limits.maxDepth) fail(`The XML is nested more than ${limits.maxDepth} levels deep`, start);
      }
    }
  }
  const open = stack.at(-1);
  if (open) fail(`The file ends before </${open.name}> closes`, src.length);
  if (!root) fail('No root element', 0);
  return root;
}

/** `imsmd:keyword` → `keyword`. */
export const localName = (el: XmlElement) => el.name.slice(el.name.indexOf(':') + 1);

export const isElement = (n: XmlNode): n is XmlElement => typeof n !== 'string';

/** Child elements, optionally only those with the local name `name`. */
export const childElements = (el: XmlElement, name?: string): XmlElement[] =>
  el.children.filter(isElement).filter((c) => name === undefined || localName(c) === name);

export const firstChild = (el: XmlElement | undefined, name: string): XmlElement | undefined =>
  el ? childElements(el, name)[0] : undefined;

/** Every descendant element with the local name `name`, in document order. */
export function descendants(el: XmlElement, name: string): XmlElement[] {
  const out: XmlElement[] = [];
  const visit = (e: XmlElement) => {
    for (const c of e.children) {
      if (!isElement(c)) continue;
      if (localName(c) === name) out.push(c);
      visit(c);
    }
  };
  visit(el);
  return out;
}

/** All the text inside `el`, concatenated. */
export function textContent(el: XmlElement | undefined): string {
  if (!el) return '';
  return el.children.map((c) => (isElement(c) ? textContent(c) : c)).join('');
}

/** Escapes text or an attribute value for XML (and HTML). */
export const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A CDATA section holding `s` (a `]]>` inside is split across two sections). */
export const cdata = (s: string) => `<![CDATA[${s.replace(/]]>/g, ']]]]><![CDATA[>')}]]>`;
