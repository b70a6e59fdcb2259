/**
 * IMS QTI 2.1 / 2.2 content packages ↔ Rounds questions.
 *
 * Import (QTI 2.1 Information Model: assessmentItem, responseDeclaration/correctResponse, itemBody,
 * choiceInteraction, simpleChoice, modalFeedback, feedbackBlock; QTI 2.1 Integration Guide /
 * IMS Content Packaging 1.1: imsmanifest.xml, resource types imsqti_item_xmlv2p1 / imsqti_item_xmlv2p2
 * and imsqti_test_xmlv2p1 / v2p2):
 * - the manifest's item resources, in the order of the assessment test's assessmentItemRefs when the
 *   package has a test, else in manifest order; LOM keywords in a resource's metadata are read like
 *   Moodle categories (organ system / discipline / tags);
 * - an item is taken when its body has exactly one interaction, a choiceInteraction with maxChoices 1
 *   (the default) and five simpleChoices, and its response declares the correct choice
 *   (correctResponse, or — as some exporters write it — a mapping whose single best entry is positive);
 * - the stem is the item body without the interaction, plus the interaction's prompt; modalFeedback and
 *   feedbackBlock become the explanation; feedbackInline and rubricBlock are dropped;
 * - images: <img src> and <object data type="image/…"> resolved against the item file's folder;
 *   Canvas writes `$IMS-CC-FILEBASE$/…` (package root) and URL-encodes names (%20), both handled;
 * - QTI 1.2 (`questestinterop`, resource types imsqti_xmlv1p2, Canvas's default export) is refused with
 *   "export QTI 2.1"; other interactions are skipped with their names.
 *
 * Export: a QTI 2.1 package: imsmanifest.xml, one item per question under items/ with its images in
 * items/qN/, and an assessment test (tests/test.xml) listing them.
 */
import { CHOICES } from '@/lib/taxonomy';
import {
  childElements,
  descendants,
  escapeXml,
  firstChild,
  isElement,
  localName,
  parseXml,
  textContent,
  XmlError,
  type XmlElement,
  type XmlNode,
} from '@/lib/xml';
import { readZip, writeZip, ZipError, type ZipInput } from '@/lib/zip';
import {
  BankFileError,
  finishQuestion,
  htmlPart,
  imageMimeType,
  isSkip,
  type BankParse,
  type PartDraft,
  type QuestionMedia,
} from '@/features/instructor/model/bank-question';
import { textToHtml } from '@/features/instructor/model/html-text';
import type { ExportQuestion } from '@/features/instructor/model/moodle-xml';

const QTI_12 = 'QTI 1.2 is not supported; export QTI 2.1 from your LMS (in Canvas: a New Quizzes or item bank export as QTI 2.1) and import that package.';

const INTERACTION_NAMES: Record<string, string> = {
  textEntryInteraction: 'Fill-in-the-blank (textEntryInteraction)',
  extendedTextInteraction: 'Essay (extendedTextInteraction)',
  inlineChoiceInteraction: 'Inline choice (inlineChoiceInteraction)',
  orderInteraction: 'Ordering (orderInteraction)',
  matchInteraction: 'Matching (matchInteraction)',
  associateInteraction: 'Matching (associateInteraction)',
  gapMatchInteraction: 'Gap match (gapMatchInteraction)',
  hottextInteraction: 'Hot text (hottextInteraction)',
  hotspotInteraction: 'Hot spot (hotspotInteraction)',
  selectPointInteraction: 'Select point (selectPointInteraction)',
  graphicOrderInteraction: 'Graphic ordering (graphicOrderInteraction)',
  graphicAssociateInteraction: 'Graphic matching (graphicAssociateInteraction)',
  graphicGapMatchInteraction: 'Graphic gap match (graphicGapMatchInteraction)',
  positionObjectInteraction: 'Position object (positionObjectInteraction)',
  sliderInteraction: 'Slider (sliderInteraction)',
  uploadInteraction: 'File upload (uploadInteraction)',
  drawingInteraction: 'Drawing (drawingInteraction)',
  mediaInteraction: 'Media (mediaInteraction)',
  customInteraction: 'Custom (customInteraction)',
  portableCustomInteraction: 'Portable custom (portableCustomInteraction)',
  endAttemptInteraction: 'End attempt (endAttemptInteraction)',
};

/** "items/a/../b/x.png" → "items/b/x.png". */
function normalisePath(path: string): string {
  const out: string[] = [];
  for (const seg of path.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') out.pop();
    else out.push(seg);
  }
  return out.join('/');
}

const dirOf = (path: string) => path.slice(0, path.lastIndexOf('/') + 1);

function decodeUri(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

const VOID = new Set(['br', 'img', 'hr', 'col', 'wbr']);

/** An element (and its children) back to HTML text, without the elements `drop` names. */
function toHtml(nodes: XmlNode[], drop: (el: XmlElement) => boolean): string {
  return nodes
    .map((n) => {
      if (!isElement(n)) return escapeXml(n);
      if (drop(n)) return '';
      const name = localName(n);
      // QTI allows <object data type="image/png"> for images; read it as the <img> it is.
      if (name === 'object' && /^image\//i.test(n.attrs.type ?? '') && n.attrs.data) {
        return `<img src="${escapeXml(n.attrs.data)}" alt="${escapeXml(textContent(n).trim())}">`;
      }
      const attrs = Object.entries(n.attrs)
        .filter(([k]) => k === 'src' || k === 'alt')
        .map(([k, v]) => ` ${k}="${escapeXml(v)}"`)
        .join('');
      return VOID.has(name) ? `<${name}${attrs}>` : `<${name}${attrs}>${toHtml(n.children, drop)}</${name}>`;
    })
    .join('');
}

const FEEDBACK = new Set(['feedbackInline', 'feedbackBlock', 'modalFeedback', 'rubricBlock', 'templateBlock', 'templateInline']);

function keywordsOf(resource: XmlElement): string[] {
  return descendants(resource, 'keyword').flatMap((k) => {
    const strings = [...descendants(k, 'string'), ...descendants(k, 'langstring')];
    return (strings.length ? strings : [k]).map((s) => textContent(s).trim());
  });
}

interface ItemContext {
  where: string;
  path: string;
  files: Map<string, Uint8Array>;
  names: string[];
}

function readItem(item: XmlElement, ctx: ItemContext) {
  const title = (item.attrs.title ?? '').trim() || null;
  const skip = (reason: string) => ({ where: ctx.where, title, reason });
  const body = firstChild(item, 'itemBody');
  if (!body) return skip('The item has no itemBody.');
  const interactions = allInteractions(body);
  if (interactions.length === 0) return skip('The item has no interaction (it is text only).');
  if (interactions.length > 1) return skip(`The item has ${interactions.length} interactions; Rounds questions have one.`);
  const interaction = interactions[0];
  if (!interaction) return skip('The item has no interaction (it is text only).');
  const kind = localName(interaction);
  if (kind !== 'choiceInteraction') {
    return skip(`${INTERACTION_NAMES[kind] ?? kind} is not supported; Rounds imports single-answer multiple choice (choiceInteraction).`);
  }
  const maxChoices = (interaction.attrs.maxChoices ?? '1').trim();
  if (maxChoices !== '1') return skip(`It allows several answers (maxChoices=${maxChoices}); Rounds questions have one correct choice.`);
  const responseId = interaction.attrs.responseIdentifier ?? 'RESPONSE';
  const declaration = childElements(item, 'responseDeclaration').find((d) => d.attrs.identifier === responseId);
  if (!declaration) return skip(`It declares no response "${responseId}", so there is no correct choice.`);
  if ((declaration.attrs.cardinality ?? 'single') !== 'single') return skip(`Its response has cardinality "${declaration.attrs.cardinality}"; Rounds questions have one correct choice.`);
  let correctIds = childElements(firstChild(declaration, 'correctResponse') ?? declaration, 'value').map((v) => textContent(v).trim());
  if (!firstChild(declaration, 'correctResponse')) {
    const entries = descendants(declaration, 'mapEntry').map((e) => ({ key: (e.attrs.mapKey ?? '').trim(), value: Number(e.attrs.mappedValue) }));
    const best = Math.max(0, ...entries.map((e) => e.value).filter(Number.isFinite));
    correctIds = best > 0 ? entries.filter((e) => e.value === best).map((e) => e.key) : [];
  }
  if (correctIds.length !== 1) return skip(correctIds.length === 0 ? 'It has no correct response.' : `It has ${correctIds.length} correct responses; Rounds questions have one.`);
  const choices = childElements(interaction, 'simpleChoice');
  const correct = choices.findIndex((c) => (c.attrs.identifier ?? '') === correctIds[0]);
  if (correct < 0) return skip(`Its correct response "${correctIds[0]}" is not one of its choices.`);

  const notes: string[] = [];
  const resolve = (src: string): Omit<QuestionMedia, 'part' | 'alt'> | null => {
    const clean = src.trim().replace(/[?#].*$/, '');
    if (/^[a-z][a-z0-9+.-]*:/i.test(clean) && !clean.startsWith('$IMS-CC-FILEBASE$')) return null;
    const rel = decodeUri(clean);
    const path = rel.startsWith('$IMS-CC-FILEBASE$') ? normalisePath(rel.slice('$IMS-CC-FILEBASE$'.length)) : normalisePath(dirOf(ctx.path) + rel);
    const bytes = ctx.files.get(path) ?? ctx.files.get(normalisePath(rel));
    const name = path.slice(path.lastIndexOf('/') + 1);
    const mimeType = imageMimeType(name);
    return bytes && mimeType ? { name, mimeType, bytes } : null;
  };
  const part = (html: string, label: string): PartDraft => {
    const p = htmlPart(html, resolve, notes, label);
    return { text: p.text, media: p.media };
  };
  const dropInBody = (el: XmlElement) => el === interaction || FEEDBACK.has(localName(el));
  const prompt = firstChild(interaction, 'prompt');
  const stemHtml = toHtml(body.children, dropInBody) + (prompt ? `<p>${toHtml(prompt.children, () => false)}</p>` : '');
  const feedbackHtml = [...descendants(body, 'feedbackBlock'), ...childElements(item, 'modalFeedback')]
    .map((f) => toHtml(f.children, (el) => FEEDBACK.has(localName(el))))
    .filter((html, i, all) => all.indexOf(html) === i)
    .map((html) => `<div>${html}</div>`)
    .join('');
  if (choices.some((c) => descendants(c, 'feedbackInline').some((f) => textContent(f).trim() !== ''))) {
    notes.push('Per-choice feedback (feedbackInline) is not imported (Rounds has one explanation per question).');
  }
  const explanation = part(feedbackHtml, 'Explanation');
  return finishQuestion({
    where: ctx.where,
    title,
    stem: part(stemHtml, 'Stem'),
    choices: choices.map((c, i) => part(toHtml(c.children, (el) => FEEDBACK.has(localName(el))), `Choice ${CHOICES[i] ?? i + 1}`)),
    correct,
    explanation: explanation.text || explanation.media.length ? explanation : null,
    names: ctx.names,
    notes,
  });
}

function allInteractions(body: XmlElement): XmlElement[] {
  const out: XmlElement[] = [];
  const visit = (e: XmlElement) => {
    for (const c of childElements(e)) {
      if (localName(c).endsWith('Interaction')) out.push(c);
      else visit(c);
    }
  };
  visit(body);
  return out;
}

function parseOrThrow(bytes: Uint8Array, path: string): XmlElement {
  try {
    return parseXml(new TextDecoder().decode(bytes));
  } catch (error) {
    if (error instanceof XmlError) throw new BankFileError(`${path} is not valid XML: ${error.message}.`);
    throw error;
  }
}

/** A QTI 2.1 / 2.2 package (.zip) → questions and skipped items; BankFileError when it is no such package. */
export async function parseQtiPackage(data: Uint8Array): Promise<BankParse> {
  let files: Map<string, Uint8Array>;
  try {
    files = await readZip(data);
  } catch (error) {
    if (error instanceof ZipError) throw new BankFileError(`The package could not be read: ${error.message}`);
    throw error;
  }
  const manifestPath = [...files.keys()].filter((k) => k === 'imsmanifest.xml' || k.endsWith('/imsmanifest.xml')).sort((a, b) => a.length - b.length)[0];
  if (!manifestPath) {
    const looksLike12 = [...files.entries()].some(([k, v]) => k.endsWith('.xml') && new TextDecoder().decode(v.subarray(0, 4096)).includes('questestinterop'));
    throw new BankFileError(looksLike12 ? QTI_12 : 'This .zip has no imsmanifest.xml, so it is not a QTI content package.');
  }
  const base = dirOf(manifestPath);
  const manifest = parseOrThrow(files.get(manifestPath) ?? new Uint8Array(), manifestPath);
  const resources = descendants(manifest, 'resource');
  if (resources.some((r) => /xmlv1p|qti_?1|non_cc_assessment/i.test(r.attrs.type ?? ''))) throw new BankFileError(QTI_12);
  const items = resources.filter((r) => /^imsqti_item_xmlv2p[012]$/i.test((r.attrs.type ?? '').trim()));
  if (items.length === 0) throw new BankFileError('The manifest lists no QTI 2.1 or 2.2 items (resources of type imsqti_item_xmlv2p1 or imsqti_item_xmlv2p2).');
  const pathOf = (r: XmlElement) => normalisePath(base + decodeUri(r.attrs.href ?? firstChild(r, 'file')?.attrs.href ?? ''));

  // The assessment test's order, when there is one and it reads.
  const order = new Map<string, number>();
  const test = resources.find((r) => /^imsqti_test_xmlv2p[012]$/i.test((r.attrs.type ?? '').trim()));
  const testBytes = test ? files.get(pathOf(test)) : undefined;
  if (test && testBytes) {
    try {
      descendants(parseXml(new TextDecoder().decode(testBytes)), 'assessmentItemRef').forEach((ref, i) => {
        const p = normalisePath(dirOf(pathOf(test)) + decodeUri(ref.attrs.href ?? ''));
        if (!order.has(p)) order.set(p, i);
      });
    } catch (error) {
      if (!(error instanceof XmlError)) throw error;
    }
  }
  const ordered = items
    .map((r, i) => ({ r, i, path: pathOf(r) }))
    .sort((a, b) => (order.get(a.path) ?? order.size + a.i) - (order.get(b.path) ?? order.size + b.i));

  const result: BankParse = { questions: [], skipped: [] };
  ordered.forEach(({ r, path }, i) => {
    const where = `question ${i + 1} (${path})`;
    const bytes = files.get(path);
    if (!bytes) {
      result.skipped.push({ where, title: null, reason: `The manifest names ${path}, but the package does not contain it.` });
      return;
    }
    let item: XmlElement;
    try {
      item = parseXml(new TextDecoder().decode(bytes));
    } catch (error) {
      if (!(error instanceof XmlError)) throw error;
      result.skipped.push({ where, title: null, reason: `The item is not valid XML: ${error.message}.` });
      return;
    }
    if (localName(item) === 'questestinterop') throw new BankFileError(QTI_12);
    if (localName(item) !== 'assessmentItem') {
      result.skipped.push({ where, title: null, reason: `The file is a <${item.name}>, not a QTI assessmentItem.` });
      return;
    }
    const done = readItem(item, { where, path, files, names: keywordsOf(r) });
    if (isSkip(done)) result.skipped.push(done);
    else result.questions.push(done);
  });
  return result;
}

const QTI_NS = 'http://www.imsglobal.org/xsd/imsqti_v2p1';
const QTI_SCHEMA = `${QTI_NS} http://www.imsglobal.org/xsd/qti/qtiv2p1/imsqti_v2p1.xsd`;
const safeName = (name: string) => name.replace(/[\\/]/g, '_');

function qtiPart(text: string, media: QuestionMedia[], folder: string, inline: boolean): string {
  const imgs = media.map((m) => `<img src="${escapeXml(`${folder}/${encodeURIComponent(safeName(m.name))}`)}" alt="${escapeXml(m.alt ?? '')}"/>`);
  if (!imgs.length) return textToHtml(text, inline);
  return inline ? `${textToHtml(text, true)}<br/>${imgs.join(' ')}` : `${textToHtml(text)}<p>${imgs.join(' ')}</p>`;
}

/** Rounds questions → a QTI 2.1 content package (zip bytes) with their images. */
export async function toQtiPackage(questions: ExportQuestion[]): Promise<Uint8Array> {
  const entries: ZipInput[] = [];
  const enc = new TextEncoder();
  const resources: string[] = [];
  const refs: string[] = [];
  questions.forEach((q, index) => {
    const id = `q${index + 1}`;
    const folder = id;
    const media = q.media ?? [];
    const inPart = (part: string) => media.filter((m) => m.part === part);
    const firstLine = q.stem.split('\n')[0] ?? '';
    const title = q.id === undefined ? firstLine.slice(0, 60) : `Rounds ${q.id}: ${firstLine.slice(0, 60)}`;
    const item = [
      '<?xml version="1.0" encoding="UTF-8"?>',
      `<assessmentItem xmlns="${QTI_NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="${QTI_SCHEMA}" identifier="${id}" title="${escapeXml(title)}" adaptive="false" timeDependent="false">`,
      `  <responseDeclaration identifier="RESPONSE" cardinality="single" baseType="identifier"><correctResponse><value>${escapeXml(q.correct_choice)}</value></correctResponse></responseDeclaration>`,
      '  <outcomeDeclaration identifier="SCORE" cardinality="single" baseType="float"><defaultValue><value>0</value></defaultValue></outcomeDeclaration>',
      '  <outcomeDeclaration identifier="FEEDBACK" cardinality="single" baseType="identifier"/>',
      '  <itemBody>',
      `    <div>${qtiPart(q.stem, inPart('stem'), folder, false)}</div>`,
      '    <choiceInteraction responseIdentifier="RESPONSE" shuffle="false" maxChoices="1">',
      ...q.choices.map((c, i) => {
        const letter = CHOICES[i] ?? '';
        return `      <simpleChoice identifier="${letter}">${qtiPart(c, inPart(letter), folder, true)}</simpleChoice>`;
      }),
      '    </choiceInteraction>',
      '  </itemBody>',
      '  <responseProcessing>',
      '    <responseCondition><responseIf><match><variable identifier="RESPONSE"/><correct identifier="RESPONSE"/></match><setOutcomeValue identifier="SCORE"><baseValue baseType="float">1</baseValue></setOutcomeValue></responseIf><responseElse><setOutcomeValue identifier="SCORE"><baseValue baseType="float">0</baseValue></setOutcomeValue></responseElse></responseCondition>',
      '    <setOutcomeValue identifier="FEEDBACK"><baseValue baseType="identifier">EXPLANATION</baseValue></setOutcomeValue>',
      '  </responseProcessing>',
      `  <modalFeedback outcomeIdentifier="FEEDBACK" identifier="EXPLANATION" showHide="show">${qtiPart(q.explanation, inPart('explanation'), folder, false)}</modalFeedback>`,
      '</assessmentItem>',
      '',
    ].join('\n');
    entries.push({ name: `items/${id}.xml`, bytes: enc.encode(item) });
    for (const m of media) entries.push({ name: `items/${folder}/${safeName(m.name)}`, bytes: m.bytes });
    const keywords = [q.organ_system, q.discipline, ...q.tags].map((k) => `<imsmd:keyword><imsmd:string>${escapeXml(k)}</imsmd:string></imsmd:keyword>`).join('');
    resources.push(
      [
        `    <resource identifier="${id}" type="imsqti_item_xmlv2p1" href="items/${id}.xml">`,
        `      <metadata><imsmd:lom><imsmd:general>${keywords}</imsmd:general></imsmd:lom></metadata>`,
        `      <file href="items/${id}.xml"/>`,
        ...media.map((m) => `      <file href="items/${folder}/${escapeXml(safeName(m.name))}"/>`),
        '    </resource>',
      ].join('\n'),
    );
    refs.push(`      <assessmentItemRef identifier="${id}" href="../items/${id}.xml"/>`);
  });
  const test = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<assessmentTest xmlns="${QTI_NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="${QTI_NS} http://www.imsglobal.org/xsd/qti/qtiv2p1/imsqti_v2p1.xsd" identifier="rounds-export" title="Rounds questions">`,
    '  <testPart identifier="part1" navigationMode="nonlinear" submissionMode="individual">',
    '    <assessmentSection identifier="section1" title="Questions" visible="true">',
    ...refs,
    '    </assessmentSection>',
    '  </testPart>',
    '</assessmentTest>',
    '',
  ].join('\n');
  const manifest = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<manifest xmlns="http://www.imsglobal.org/xsd/imscp_v1p1" xmlns:imsmd="http://ltsc.ieee.org/xsd/LOM" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" identifier="rounds-export-manifest">',
    '  <metadata><schema>QTIv2.1 Package</schema><schemaversion>1.0.0</schemaversion></metadata>',
    '  <organizations/>',
    '  <resources>',
    '    <resource identifier="test" type="imsqti_test_xmlv2p1" href="tests/test.xml">',
    '      <file href="tests/test.xml"/>',
    ...questions.map((_q, i) => `      <dependency identifierref="q${i + 1}"/>`),
    '    </resource>',
    ...resources,
    '  </resources>',
    '</manifest>',
    '',
  ].join('\n');
  return writeZip([{ name: 'imsmanifest.xml', bytes: enc.encode(manifest) }, { name: 'tests/test.xml', bytes: enc.encode(test) }, ...entries]);
}
