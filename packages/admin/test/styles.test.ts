// The admin app's colours are custom properties declared in :root (base.css) and nowhere else, so
// a theme or a dark mode changes them in one place: no colour literal in any other rule of any
// admin CSS file. Also: every var(--name) used is declared, and every CSS file is imported by a
// component (esbuild bundles only what is imported).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const src = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'src');

function filesUnder(dir: string, ending: RegExp): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return filesUnder(full, ending);
    return ending.test(entry.name) ? [full] : [];
  });
}

// CSS Color Module 4 named colours ('transparent' and 'currentcolor' name no colour of their own).
const NAMED = new Set(
  `aliceblue antiquewhite aqua aquamarine azure beige bisque black blanchedalmond blue blueviolet brown burlywood cadetblue chartreuse
  chocolate coral cornflowerblue cornsilk crimson cyan darkblue darkcyan darkgoldenrod darkgray darkgreen darkgrey darkkhaki darkmagenta
  darkolivegreen darkorange darkorchid darkred darksalmon darkseagreen darkslateblue darkslategray darkslategrey darkturquoise darkviolet
  deeppink deepskyblue dimgray dimgrey dodgerblue firebrick floralwhite forestgreen fuchsia gainsboro ghostwhite gold goldenrod gray green
  greenyellow grey honeydew hotpink indianred indigo ivory khaki lavender lavenderblush lawngreen lemonchiffon lightblue lightcoral lightcyan
  lightgoldenrodyellow lightgray lightgreen lightgrey lightpink lightsalmon lightseagreen lightskyblue lightslategray lightslategrey
  lightsteelblue lightyellow lime limegreen linen magenta maroon mediumaquamarine mediumblue mediumorchid mediumpurple mediumseagreen
  mediumslateblue mediumspringgreen mediumturquoise mediumvioletred midnightblue mintcream mistyrose moccasin navajowhite navy oldlace olive
  olivedrab orange orangered orchid palegoldenrod palegreen paleturquoise palevioletred papayawhip peachpuff peru pink plum powderblue purple
  rebeccapurple red rosybrown royalblue saddlebrown salmon sandybrown seagreen seashell sienna silver skyblue slateblue slategray slategrey snow
  springgreen steelblue tan teal thistle tomato turquoise violet wheat white whitesmoke yellow yellowgreen`.split(/\s+/),
);
const HEX = /#[0-9a-f]{3,8}\b/i;
const FUNCTION = /(?<![\w-])(rgba?|hsla?|hwb|lab|lch|oklab|oklch|color|color-mix)\(/i;

/** Each declaration with the selector of the rule it is in (the innermost block's prelude). */
function declarations(css: string): { selector: string; declaration: string }[] {
  const text = css.replace(/\/\*[\s\S]*?\*\//g, '');
  const found: { selector: string; declaration: string }[] = [];
  const preludes: string[] = [];
  let buffer = '';
  const flush = () => {
    const selector = preludes.at(-1);
    for (const part of buffer.split(';')) if (selector !== undefined && part.trim()) found.push({ selector, declaration: part.trim() });
    buffer = '';
  };
  for (const char of text) {
    if (char === '{') {
      // What precedes a nested block in the same buffer is its prelude, after any declarations.
      const cut = buffer.lastIndexOf(';');
      const before = buffer.slice(0, cut + 1);
      const prelude = buffer.slice(cut + 1);
      buffer = before;
      flush();
      preludes.push(prelude.trim().replace(/\s+/g, ' '));
    } else if (char === '}') {
      flush();
      preludes.pop();
    } else buffer += char;
  }
  return found;
}

function colourLiterals(value: string): string[] {
  const words = value.toLowerCase().match(/(?<![\w-])[a-z]+(?![\w-])/g) ?? [];
  return [value.match(HEX)?.[0], value.match(FUNCTION)?.[0], ...words.filter((word) => NAMED.has(word))].filter((x): x is string => Boolean(x));
}

/** "selector { declaration }" for each colour literal outside :root. */
function coloursOutsideRoot(css: string): string[] {
  return declarations(css)
    .filter(({ selector }) => selector !== ':root')
    .flatMap(({ selector, declaration }) => {
      const value = declaration.slice(declaration.indexOf(':') + 1);
      return colourLiterals(value).length > 0 ? [`${selector} { ${declaration} }`] : [];
    });
}

describe('colour literals', () => {
  it('are found outside :root, as hex, colour functions or names, and allowed inside it', () => {
    expect(coloursOutsideRoot(':root { --accent: #2f5d50; --on-accent: white; --shade: rgb(0 0 0 / 10%); }')).toEqual([]);
    expect(coloursOutsideRoot('.a { color: #fff; }')).toEqual(['.a { color: #fff }']);
    expect(coloursOutsideRoot('.a { border: 1px solid rgba(0, 0, 0, 0.1); }')).toEqual(['.a { border: 1px solid rgba(0, 0, 0, 0.1) }']);
    expect(coloursOutsideRoot('@media (max-width: 40rem) { .a { background: white; } }')).toEqual(['.a { background: white }']);
    expect(coloursOutsideRoot('.a, :root { color: hsl(10 20% 30%); }')).toEqual(['.a, :root { color: hsl(10 20% 30%) }']);
    expect(coloursOutsideRoot('@media (prefers-color-scheme: dark) { :root { --bg: #111; } }')).toEqual([]);
    // Not colours: custom property names, class names, keywords, ids in selectors.
    expect(coloursOutsideRoot('.badge-red #main { color: var(--red); border-color: transparent; background: currentColor; }')).toEqual([]);
  });

  it('appear in no admin CSS file outside :root', () => {
    const files = filesUnder(src, /\.css$/);
    expect(files.length).toBeGreaterThan(1);
    const found = files.flatMap((file) => coloursOutsideRoot(readFileSync(file, 'utf8')).map((rule) => `${path.relative(src, file)}: ${rule}`));
    expect(found, 'declare the colour as a custom property in :root (base.css) and use var(--name)').toEqual([]);
  });
});

describe('admin CSS files', () => {
  const files = filesUnder(src, /\.css$/);
  const css = files.map((file) => readFileSync(file, 'utf8'));

  it('use only custom properties declared in :root', () => {
    const declared = new Set(
      css.flatMap((text) => declarations(text).filter((d) => d.selector === ':root').map((d) => d.declaration.split(':')[0]!.trim())),
    );
    const used = new Set(css.flatMap((text) => [...text.matchAll(/var\((--[\w-]+)/g)].map((m) => m[1]!)));
    expect([...used].filter((name) => !declared.has(name))).toEqual([]);
  });

  it('are each imported by the app, so the bundle has them', () => {
    const sources = filesUnder(src, /\.tsx?$/).map((file) => ({ file, text: readFileSync(file, 'utf8') }));
    const imported = (cssFile: string) =>
      sources.some(({ file, text }) => text.includes(`import './${path.relative(path.dirname(file), cssFile).split(path.sep).join('/')}';`));
    expect(files.filter((file) => !imported(file)).map((file) => path.relative(src, file))).toEqual([]);
  });
});
