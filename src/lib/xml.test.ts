import { expect, test } from 'vitest';
import { cdata, childElements, decodeXmlEntities, escapeXml, localName, parseXml, textContent, XmlError } from '@/lib/xml';

test('elements, attributes, CDATA, entities and prefixes', () => {
  const root = parseXml(`\uFEFF<?xml version="1.0"?>
<!-- a comment -->
<imsmd:lom xmlns:imsmd="x" a='1 &amp; 2' b="&#x3C;&#60;">
  <keyword>caf&#233; &lt;b&gt; &nbsp;</keyword>
  <text><![CDATA[<p>a & b</p>]]></text>
  <empty/>
</imsmd:lom>`);
  expect(root.name).toBe('imsmd:lom');
  expect(localName(root)).toBe('lom');
  expect(root.attrs).toEqual({ 'xmlns:imsmd': 'x', a: '1 & 2', b: '<<' });
  expect(childElements(root).map((c) => c.name)).toEqual(['keyword', 'text', 'empty']);
  // An unknown entity stays as written for the HTML step.
  expect(textContent(childElements(root, 'keyword')[0])).toBe('café <b> &nbsp;');
  expect(textContent(childElements(root, 'text')[0])).toBe('<p>a & b</p>');
});

test('malformed XML fails with the line of the problem', () => {
  expect(() => parseXml('<a>\n<b>\n</a>')).toThrow(new XmlError('Expected </b>, found </a>', 3));
  expect(() => parseXml('<a>')).toThrow(/ends before <\/a> closes/);
  expect(() => parseXml('<a/><b/>')).toThrow(/A second root element/);
  expect(() => parseXml('text')).toThrow(/Text outside the root element/);
  expect(() => parseXml('<a><![CDATA[x</a>')).toThrow(/Unclosed CDATA section/);
  expect(() => parseXml('')).toThrow(/No root element/);
  expect(() => parseXml('<a b=c/>')).toThrow(/Malformed tag <a/);
});

test('a DTD with entity declarations (billion laughs) is refused; an external DOCTYPE is skipped', () => {
  const laughs = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]><lolz>&lol2;</lolz>`;
  expect(() => parseXml(laughs)).toThrow(/DTD declarations are not allowed/);
  expect(textContent(parseXml('<!DOCTYPE quiz SYSTEM "http://example.org/x.dtd"><quiz>ok</quiz>'))).toBe('ok');
});

test('XML nested 1000 deep, or with too many nodes, is an error, not a stack overflow', () => {
  const deep = `${'<a>'.repeat(1000)}${'</a>'.repeat(1000)}`;
  expect(() => parseXml(deep)).toThrow(/nested more than 100 levels deep/);
  expect(() => parseXml(`<r>${'<x/>'.repeat(50)}</r>`, { maxDepth: 10, maxNodes: 20 })).toThrow(/more than 20 nodes/);
});

test('escaping round-trips through the parser, CDATA with "]]>" inside included', () => {
  const s = 'a < b && c > "d" ]]> e';
  expect(textContent(parseXml(`<t k="${escapeXml(s)}">${escapeXml(s)}</t>`))).toBe(s);
  expect(parseXml(`<t k="${escapeXml(s)}"/>`).attrs.k).toBe(s);
  expect(textContent(parseXml(`<t>${cdata(s)}</t>`))).toBe(s);
  expect(decodeXmlEntities('&#0; &#x110000; &bogus;')).toBe('&#0; &#x110000; &bogus;');
});

test('many DOCTYPE declarations are read in one pass', () => {
  expect(textContent(parseXml(`${'<!DOCTYPE x>'.repeat(200_000)}<r>ok</r>`))).toBe('ok');
});
