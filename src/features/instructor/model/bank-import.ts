/**
 * The one entry the import form loads, on use, for LMS bank files (so the parsers, the XML reader and the
 * ZIP reader stay out of every other bundle): format → parser, with the size limit checked first.
 */
import { BankFileError, MAX_BANK_FILE_BYTES, type BankFormat, type BankParse } from '@/features/instructor/model/bank-question';
import { parseGift } from '@/features/instructor/model/gift';
import { parseMoodleXml } from '@/features/instructor/model/moodle-xml';
import { parseQtiPackage } from '@/features/instructor/model/qti';

/** The form's one call: the parse, or why the file as a whole cannot be imported (in words for people). */
export async function readBankFile(format: BankFormat, input: { text: string } | { bytes: Uint8Array }): Promise<{ parse: BankParse } | { error: string }> {
  try {
    return { parse: await parseBankFile(format, input) };
  } catch (error) {
    if (error instanceof BankFileError) return { error: error.message };
    throw error;
  }
}

/** Reads a bank file: text for Moodle XML and GIFT, bytes for a QTI package. Throws BankFileError. */
export async function parseBankFile(format: BankFormat, input: { text: string } | { bytes: Uint8Array }): Promise<BankParse> {
  const size = 'bytes' in input ? input.bytes.length : input.text.length;
  if (size > MAX_BANK_FILE_BYTES) throw new BankFileError(`The file is ${(size / 1024 / 1024).toFixed(1)} MB; the limit is ${MAX_BANK_FILE_BYTES / 1024 / 1024} MB. Export the bank in parts.`);
  if (format === 'qti') {
    if (!('bytes' in input)) throw new BankFileError('A QTI package is a .zip file: choose it with the file picker.');
    return parseQtiPackage(input.bytes);
  }
  const text = 'bytes' in input ? new TextDecoder().decode(input.bytes) : input.text;
  return format === 'moodle' ? parseMoodleXml(text) : parseGift(text);
}
