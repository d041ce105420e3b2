// xml_format: graded format score in [0, 1] from the XML parser (tags present, in order, nothing outside).

import { XMLParser } from '../../parsers/xml.ts';
import type { CriterionFn, CriterionKind, CriterionParams } from '../types.ts';

export const xmlFormat: CriterionKind = {
  kind: 'xml_format',
  description: 'Graded XML format score in [0, 1]: tags present, in order, nothing outside them.',
  params: {
    fields: { type: 'string', default: 'answer', description: 'Comma-separated fields in order, e.g. "think,answer".' },
  },
  create(params: CriterionParams): CriterionFn {
    const fields = String(params.fields).split(',').map((f) => f.trim()).filter((f) => f.length > 0);
    const parser = new XMLParser(fields);
    return ({ completion }) => parser.formatScore(completion);
  },
};
