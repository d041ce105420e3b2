// xml_format: graded format score in [0, 1] from the XML parser (tags present, in order, nothing outside).
// `fields` is checked with the config (names, duplicates), so a bad list fails where it is written, not at Train.

import { XMLParser } from '../../parsers/xml.ts';
import type { CriterionFn, CriterionKind, CriterionParams } from '../types.ts';

const fieldList = (params: CriterionParams) =>
  String(params.fields)
    .split(',')
    .map((f) => f.trim())
    .filter((f) => f.length > 0);

export const xmlFormat: CriterionKind = {
  kind: 'xml_format',
  description: 'Graded XML format score in [0, 1]: tags present, in order, nothing outside them.',
  params: {
    fields: { type: 'string', default: 'answer', maxLength: 500, description: 'Comma-separated fields in order, e.g. "think,answer".' },
  },
  validate(params) {
    new XMLParser(fieldList(params)); // the parser's own rules: at least one field, names of letters, digits, _ and -, no repeats
  },
  create(params: CriterionParams): CriterionFn {
    const parser = new XMLParser(fieldList(params));
    return ({ completion }) => parser.formatScore(completion);
  },
};
