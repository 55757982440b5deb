// <channel_snapshot/> and <bridge_snapshot/> in the documentation stand for groups of event fields.
// Asterisk expands them with the appdocsxml.xslt installed beside the XML; the field names are read
// from there rather than written here, so they follow the Asterisk version being documented.
import { descendants, elementChildren } from './xml-tree.mjs';

export const SNAPSHOT_ELEMENTS = ['channel_snapshot', 'bridge_snapshot'];

/**
 * For each snapshot element, its fields in order: `suffix` (the name after the optional prefix) and
 * `optional` (the stylesheet marks the parameter required="false").
 */
export function readSnapshotTemplates(stylesheet) {
  const templates = new Map();
  for (const template of descendants(stylesheet, 'xsl:template')) {
    const match = template.getAttribute('match');
    if (!SNAPSHOT_ELEMENTS.includes(match)) continue;
    const fields = [];
    for (const element of descendants(template, 'xsl:element')) {
      if (element.getAttribute('name') !== 'parameter') continue;
      fields.push(readField(element, match));
    }
    templates.set(match, fields);
  }
  for (const name of SNAPSHOT_ELEMENTS) {
    if (!templates.has(name) || templates.get(name).length === 0) {
      throw new Error(`the documentation stylesheet has no template for <${name}>`);
    }
  }
  return templates;
}

function readField(element, template) {
  let suffix;
  let optional = false;
  for (const attribute of elementChildren(element, 'xsl:attribute')) {
    const name = attribute.getAttribute('name');
    if (name === 'name') {
      const valueElement = elementChildren(attribute, 'xsl:value-of')[0];
      const select = valueElement?.getAttribute('select') ?? '';
      const concat = /^concat\(\s*@prefix\s*,\s*'([^']+)'\s*\)$/.exec(select);
      if (concat === null) throw new Error(`<${template}>: unexpected field name expression "${select}"`);
      suffix = concat[1];
    } else if (name === 'required') {
      optional = attribute.textContent.trim() === 'false';
    }
  }
  if (suffix === undefined) throw new Error(`<${template}>: a parameter without a name`);
  return { suffix, optional };
}
