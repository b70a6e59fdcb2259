import { expect, test } from 'vitest';
import { htmlToText, textToHtml } from '@/features/instructor/model/html-text';

test('paragraphs, breaks, lists and entities become plain text lines', () => {
  expect(htmlToText('<h3>Case</h3><p>Na&#x207A; 128&nbsp;mmol/L,&nbsp; K<sup>+</sup> 5.9 &amp; rising &ndash; <em>why?</em></p><ul><li>one</li><li>two</li></ul>Tail').text).toBe(
    'Case\n\nNa⁺ 128 mmol/L, K+ 5.9 & rising – why?\n\n• one\n• two\n\nTail',
  );
  expect(htmlToText('a<br>b<br/>c<BR />d').text).toBe('a\nb\nc\nd');
  expect(htmlToText('<table><tr><td>x</td><td>y</td></tr></table>').text).toBe('x y');
});

test('scripts, styles, comments and markup leave no trace; images are returned with their alt', () => {
  const { text, images } = htmlToText(
    '<script type="text/javascript">alert("x")</script><style>.a{}</style><!-- secret --><p onmouseover="x()">Hi <img src="a.png" alt="An &quot;ECG&quot;"> there<img src=\'b.gif\'></p><svg><text>svg text</text></svg><noscript>nojs</noscript>',
  );
  expect(text).toBe('Hi there');
  expect(images).toEqual([
    { src: 'a.png', alt: 'An "ECG"' },
    { src: 'b.gif', alt: '' },
  ]);
});

test('a tag inside an attribute value does not end the tag early', () => {
  expect(htmlToText('<p title="a > b">text</p>').text).toBe('text');
});

test('textToHtml escapes and reads back to the same text', () => {
  const text = 'Line one < two & "three"\nLine two\n\nSecond paragraph';
  expect(textToHtml(text)).toBe('<p>Line one &lt; two &amp; &quot;three&quot;<br/>Line two</p><p>Second paragraph</p>');
  expect(htmlToText(textToHtml(text)).text).toBe(text);
  expect(htmlToText(textToHtml(text, true)).text).toBe(text);
});

test('hostile markup (unterminated tags, quotes, declarations) is read in one pass, not rescanned', () => {
  // Each of these was quadratic (minutes at this size) with a tag pattern that could run past the next
  // "<"; a "<" that opens no complete tag is text, as in HTML.
  expect(htmlToText('<a '.repeat(300_000)).text).toBe('<a '.repeat(300_000).trim());
  expect(htmlToText('<a "'.repeat(300_000)).text).toBe('<a "'.repeat(300_000));
  expect(htmlToText('<!x'.repeat(300_000)).text).toBe('<!x'.repeat(300_000));
  expect(htmlToText(`${'<p>x</p>'.repeat(100_000)}`).text.length).toBe(100_000 * 3 - 2);
});
