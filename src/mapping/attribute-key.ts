/** A mapping key split into its parts: `urn:…:User:manager`, `name.givenName`, `emails[type eq "work"].value`. */
export interface AttributeKey {
  readonly schema?: string;
  readonly attribute: string;
  /** `work` in `emails[type eq "work"].value`. */
  readonly typeValue?: string;
  readonly subAttribute?: string;
}

const NAME = '[A-Za-z$][\\w$-]*';
const KEY_PATTERN = new RegExp(
  `^(${NAME})(?:\\[\\s*(${NAME})\\s+eq\\s+"([^"]*)"\\s*\\])?(?:\\.(${NAME}))?$`,
  'i',
);

/**
 * Parses a mapping key. URNs contain colons and dots, so a URN prefix is
 * recognised by the schema URNs the resource type accepts, not by syntax.
 */
export function parseAttributeKey(
  key: string,
  schemaUrns: readonly string[],
): AttributeKey | { error: string } {
  let schema: string | undefined;
  let rest = key.trim();
  if (rest.toLowerCase().startsWith('urn:')) {
    const lower = rest.toLowerCase();
    schema = [...schemaUrns]
      .sort((a, b) => b.length - a.length)
      .find((urn) => lower.startsWith(`${urn.toLowerCase()}:`));
    if (schema === undefined) {
      return { error: `"${key}" starts with an unknown schema URN (known: ${schemaUrns.join(', ')})` };
    }
    rest = rest.slice(schema.length + 1);
  }
  const match = KEY_PATTERN.exec(rest);
  if (match === null) {
    return {
      error: `"${key}" is not an attribute path (write attr, attr.sub, urn:…:attr or attr[type eq "work"].sub)`,
    };
  }
  const [, attribute = '', filterAttribute, typeValue, subAttribute] = match;
  if (filterAttribute !== undefined && filterAttribute.toLowerCase() !== 'type') {
    return { error: `"${key}": only [type eq "…"] selectors are supported` };
  }
  return {
    ...(schema === undefined ? {} : { schema }),
    attribute,
    ...(typeValue === undefined ? {} : { typeValue }),
    ...(subAttribute === undefined ? {} : { subAttribute }),
  };
}
