// A tiny RFC 5545 reader for assertions: unfolds lines, splits NAME;PARAMS:VALUE, and groups
// properties by component. Enough to check what Beckon writes, not a general parser.

export interface Property {
  name: string;
  params: Record<string, string>;
  value: string;
}

export interface Component {
  name: string;
  properties: Property[];
  components: Component[];
  /** The single value of a property, or undefined; throws when it occurs more than once. */
  get(name: string): string | undefined;
  all(name: string): Property[];
}

function component(name: string): Component {
  const c: Component = {
    name,
    properties: [],
    components: [],
    get(prop) {
      const found = c.all(prop);
      if (found.length > 1) throw new Error(`${prop} occurs ${found.length} times in ${name}`);
      return found[0]?.value;
    },
    all: (prop) => c.properties.filter((p) => p.name === prop),
  };
  return c;
}

/** Splits on the first ':' that is not inside a quoted parameter value. */
function parseLine(line: string): Property {
  let inQuotes = false;
  let colon = -1;
  for (let i = 0; i < line.length; i++) {
    if (line[i] === '"') inQuotes = !inQuotes;
    else if (line[i] === ':' && !inQuotes) {
      colon = i;
      break;
    }
  }
  if (colon < 0) throw new Error(`Not a content line: ${line}`);
  const [name, ...rawParams] = line.slice(0, colon).split(';');
  const params: Record<string, string> = {};
  for (const raw of rawParams) {
    const eq = raw.indexOf('=');
    params[raw.slice(0, eq).toUpperCase()] = raw.slice(eq + 1).replace(/^"|"$/g, '');
  }
  return { name: name!.toUpperCase(), params, value: line.slice(colon + 1) };
}

export function unfold(ics: string): string[] {
  return ics.replace(/\r\n[ \t]/g, '').split('\r\n').filter((line) => line !== '');
}

export function parseIcs(ics: string): Component {
  const root = component('ROOT');
  const stack: Component[] = [root];
  for (const line of unfold(ics)) {
    const prop = parseLine(line);
    if (prop.name === 'BEGIN') {
      const child = component(prop.value);
      stack.at(-1)!.components.push(child);
      stack.push(child);
    } else if (prop.name === 'END') {
      const closed = stack.pop();
      if (closed?.name !== prop.value) throw new Error(`END:${prop.value} closes ${closed?.name}`);
    } else {
      stack.at(-1)!.properties.push(prop);
    }
  }
  if (stack.length !== 1) throw new Error('Unclosed component');
  const [calendar] = root.components;
  if (calendar?.name !== 'VCALENDAR') throw new Error('No VCALENDAR');
  return calendar;
}

export function eventOf(ics: string): { calendar: Component; event: Component } {
  const calendar = parseIcs(ics);
  const events = calendar.components.filter((c) => c.name === 'VEVENT');
  if (events.length !== 1) throw new Error(`Expected one VEVENT, got ${events.length}`);
  return { calendar, event: events[0]! };
}

/** TEXT values are escaped (\\n, \\, \\; \\\\): undo it. */
export function unescapeText(value: string): string {
  return value.replace(/\\([nN,;\\])/g, (_, c: string) => (c === 'n' || c === 'N' ? '\n' : c));
}
