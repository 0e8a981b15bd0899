import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { URI_TEMPLATE_LIMITS, UriTemplate, UriTemplateError, type UriTemplateValue } from './uri-template.ts';

/** The variables of RFC 6570 section 3.2 (the level tables of section 1.2 use a subset). */
const RFC_VARS: Record<string, UriTemplateValue> = {
  count: ['one', 'two', 'three'],
  dom: ['example', 'com'],
  dub: 'me/too',
  hello: 'Hello World!',
  half: '50%',
  var: 'value',
  who: 'fred',
  base: 'http://example.com/home/',
  path: '/foo/bar',
  list: ['red', 'green', 'blue'],
  keys: { semi: ';', dot: '.', comma: ',' },
  v: '6',
  x: '1024',
  y: '768',
  empty: '',
  empty_keys: {},
  undef: undefined,
};

const expand = (template: string): string => new UriTemplate(template).expand(RFC_VARS);

describe('UriTemplate.expand: RFC 6570 section 1.2 levels', () => {
  it.each([
    // Level 1
    ['{var}', 'value'],
    ['{hello}', 'Hello%20World%21'],
    // Level 2
    ['{+var}', 'value'],
    ['{+hello}', 'Hello%20World!'],
    ['{+path}/here', '/foo/bar/here'],
    ['here?ref={+path}', 'here?ref=/foo/bar'],
    ['X{#var}', 'X#value'],
    ['X{#hello}', 'X#Hello%20World!'],
    // Level 3
    ['map?{x,y}', 'map?1024,768'],
    ['{x,hello,y}', '1024,Hello%20World%21,768'],
    ['{+x,hello,y}', '1024,Hello%20World!,768'],
    ['{+path,x}/here', '/foo/bar,1024/here'],
    ['{#x,hello,y}', '#1024,Hello%20World!,768'],
    ['{#path,x}/here', '#/foo/bar,1024/here'],
    ['X{.var}', 'X.value'],
    ['X{.x,y}', 'X.1024.768'],
    ['{/var}', '/value'],
    ['{/var,x}/here', '/value/1024/here'],
    ['{;x,y}', ';x=1024;y=768'],
    ['{;x,y,empty}', ';x=1024;y=768;empty'],
    ['{?x,y}', '?x=1024&y=768'],
    ['{?x,y,empty}', '?x=1024&y=768&empty='],
    ['?fixed=yes{&x}', '?fixed=yes&x=1024'],
    ['{&x,y,empty}', '&x=1024&y=768&empty='],
    // Level 4
    ['{var:3}', 'val'],
    ['{var:30}', 'value'],
    ['{list}', 'red,green,blue'],
    ['{list*}', 'red,green,blue'],
    ['{keys}', 'semi,%3B,dot,.,comma,%2C'],
    ['{keys*}', 'semi=%3B,dot=.,comma=%2C'],
    ['{+path:6}/here', '/foo/b/here'],
    ['{+list}', 'red,green,blue'],
    ['{+list*}', 'red,green,blue'],
    ['{+keys}', 'semi,;,dot,.,comma,,'],
    ['{+keys*}', 'semi=;,dot=.,comma=,'],
    ['{#path:6}/here', '#/foo/b/here'],
    ['{#list}', '#red,green,blue'],
    ['{#list*}', '#red,green,blue'],
    ['{#keys}', '#semi,;,dot,.,comma,,'],
    ['{#keys*}', '#semi=;,dot=.,comma=,'],
    ['X{.var:3}', 'X.val'],
    ['X{.list}', 'X.red,green,blue'],
    ['X{.list*}', 'X.red.green.blue'],
    ['X{.keys}', 'X.semi,%3B,dot,.,comma,%2C'],
    ['X{.keys*}', 'X.semi=%3B.dot=..comma=%2C'],
    ['{/var:1,var}', '/v/value'],
    ['{/list}', '/red,green,blue'],
    ['{/list*}', '/red/green/blue'],
    ['{/list*,path:4}', '/red/green/blue/%2Ffoo'],
    ['{/keys}', '/semi,%3B,dot,.,comma,%2C'],
    ['{/keys*}', '/semi=%3B/dot=./comma=%2C'],
    ['{;hello:5}', ';hello=Hello'],
    ['{;list}', ';list=red,green,blue'],
    ['{;list*}', ';list=red;list=green;list=blue'],
    ['{;keys}', ';keys=semi,%3B,dot,.,comma,%2C'],
    ['{;keys*}', ';semi=%3B;dot=.;comma=%2C'],
    ['{?var:3}', '?var=val'],
    ['{?list}', '?list=red,green,blue'],
    ['{?list*}', '?list=red&list=green&list=blue'],
    ['{?keys}', '?keys=semi,%3B,dot,.,comma,%2C'],
    ['{?keys*}', '?semi=%3B&dot=.&comma=%2C'],
    ['{&var:3}', '&var=val'],
    ['{&list}', '&list=red,green,blue'],
    ['{&list*}', '&list=red&list=green&list=blue'],
    ['{&keys}', '&keys=semi,%3B,dot,.,comma,%2C'],
    ['{&keys*}', '&semi=%3B&dot=.&comma=%2C'],
  ])('%s → %s', (template, uri) => {
    expect(expand(template)).toBe(uri);
  });
});

describe('UriTemplate.expand: RFC 6570 section 3.2 tables', () => {
  it.each([
    // 3.2.1 Variable Expansion
    ['{count}', 'one,two,three'],
    ['{count*}', 'one,two,three'],
    ['{/count}', '/one,two,three'],
    ['{/count*}', '/one/two/three'],
    ['{;count}', ';count=one,two,three'],
    ['{;count*}', ';count=one;count=two;count=three'],
    ['{?count}', '?count=one,two,three'],
    ['{?count*}', '?count=one&count=two&count=three'],
    ['{&count*}', '&count=one&count=two&count=three'],
    // 3.2.2 Simple String Expansion
    ['{half}', '50%25'],
    ['O{empty}X', 'OX'],
    ['O{undef}X', 'OX'],
    ['?{x,empty}', '?1024,'],
    ['?{x,undef}', '?1024'],
    ['?{undef,y}', '?768'],
    // 3.2.3 Reserved Expansion
    ['{+half}', '50%25'],
    ['{base}index', 'http%3A%2F%2Fexample.com%2Fhome%2Findex'],
    ['{+base}index', 'http://example.com/home/index'],
    ['O{+empty}X', 'OX'],
    ['O{+undef}X', 'OX'],
    ['up{+path}{var}/here', 'up/foo/barvalue/here'],
    // 3.2.4 Fragment Expansion
    ['{#var}', '#value'],
    ['{#hello}', '#Hello%20World!'],
    ['{#half}', '#50%25'],
    ['foo{#empty}', 'foo#'],
    ['foo{#undef}', 'foo'],
    // 3.2.5 Label Expansion with Dot-Prefix
    ['{.who}', '.fred'],
    ['{.who,who}', '.fred.fred'],
    ['{.half,who}', '.50%25.fred'],
    ['www{.dom*}', 'www.example.com'],
    ['X{.empty}', 'X.'],
    ['X{.undef}', 'X'],
    ['X{.empty_keys}', 'X'],
    ['X{.empty_keys*}', 'X'],
    // 3.2.6 Path Segment Expansion
    ['{/who}', '/fred'],
    ['{/who,who}', '/fred/fred'],
    ['{/half,who}', '/50%25/fred'],
    ['{/who,dub}', '/fred/me%2Ftoo'],
    ['{/var,empty}', '/value/'],
    ['{/var,undef}', '/value'],
    // 3.2.7 Path-Style Parameter Expansion
    ['{;who}', ';who=fred'],
    ['{;half}', ';half=50%25'],
    ['{;empty}', ';empty'],
    ['{;v,empty,who}', ';v=6;empty;who=fred'],
    ['{;v,bar,who}', ';v=6;who=fred'],
    ['{;x,y,undef}', ';x=1024;y=768'],
    // 3.2.8 Form-Style Query Expansion
    ['{?who}', '?who=fred'],
    ['{?half}', '?half=50%25'],
    ['{?x,y,undef}', '?x=1024&y=768'],
    // 3.2.9 Form-Style Query Continuation
    ['{&who}', '&who=fred'],
    ['{&half}', '&half=50%25'],
    ['{&x,y,undef}', '&x=1024&y=768'],
  ])('%s → %s', (template, uri) => {
    expect(expand(template)).toBe(uri);
  });
});

describe('UriTemplate.expand: encoding details', () => {
  it('encodes non-ASCII values as UTF-8 and keeps pct-triplets only in reserved expansion', () => {
    const t = new UriTemplate('{a}/{+a}');
    expect(t.expand({ a: 'é😀 %41%zz' })).toBe(
      '%C3%A9%F0%9F%98%80%20%2541%25zz/%C3%A9%F0%9F%98%80%20%41%25zz',
    );
  });

  it('counts a prefix in characters, never splitting a code point or a reserved pct-triplet', () => {
    expect(new UriTemplate('{a:2}').expand({ a: '😀é!' })).toBe('%F0%9F%98%80%C3%A9');
    expect(new UriTemplate('{+a:2}').expand({ a: '%41bc' })).toBe('%41b');
  });

  it('percent-encodes non-ASCII template literals', () => {
    expect(new UriTemplate('café/{x}').expand({ x: '1' })).toBe('caf%C3%A9/1');
  });

  it('ignores names inherited from Object.prototype and leaves undefined values out', () => {
    expect(new UriTemplate('a{/constructor,toString}b').expand({})).toBe('ab');
  });

  it('rejects a prefix modifier on a list or associative value', () => {
    expect(() => new UriTemplate('{list:1}').expand(RFC_VARS)).toThrow(/"list" has a prefix modifier/);
    expect(() => new UriTemplate('{+keys:1}').expand(RFC_VARS)).toThrow(/"keys" has a prefix modifier/);
  });
});

describe('UriTemplate: parsing', () => {
  it('lists variable names once, in order, and returns the template from toString', () => {
    const t = new UriTemplate('x{/a,b}{?c,a}{#d*}{e:3}');
    expect(t.variableNames).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(t.toString()).toBe('x{/a,b}{?c,a}{#d*}{e:3}');
    expect(String(new UriTemplate('plain://uri'))).toBe('plain://uri');
  });

  it('accepts dotted and pct-encoded variable names', () => {
    expect(new UriTemplate('{a.b,%41_c}').expand({ 'a.b': '1', '%41_c': '2' })).toBe('1,2');
  });

  it.each([
    ['{/id*', 0, 'not closed'],
    ['/id*}', 4, 'not allowed outside an expression'],
    ['{/?id}', 2, 'expected a variable name'],
    ['{var:prefix}', 5, 'prefix length'],
    ['{var:0}', 5, 'prefix length'],
    ['{var:10000}', 5, 'prefix length'],
    ['{hello:2*}', 8, 'unexpected "*"'],
    ['{??hello}', 2, 'expected a variable name'],
    ['{!hello}', 1, 'reserved'],
    ['{=path}', 1, 'reserved'],
    ['{$var}', 1, 'expected a variable name'],
    ['{|var*}', 1, 'reserved'],
    ['{*keys?}', 1, 'expected a variable name'],
    ['{?empty=default,var}', 7, 'unexpected "="'],
    ['{var}{-prefix|/-/|var}', 6, 'expected a variable name'],
    ['/h{#hello+}', 9, 'unexpected "+"'],
    ['/people/{~thing}', 9, 'expected a variable name'],
    ['/sparql{?query){&default-graph-uri*}', 15, "'{' inside"],
    ['/resolution{?x, y}', 15, 'expected a variable name'],
    ['{}', 1, 'expected a variable name'],
    ['{a,}', 3, 'expected a variable name'],
    ['{a.}', 3, "'.' must be followed"],
    ['{a..b}', 3, "'.' must be followed"],
    ['a b', 1, 'not allowed outside an expression'],
    ['a<b>', 1, 'not allowed'],
    ['50%', 2, 'percent-encoded triplet'],
    ['%zz{x}', 0, 'percent-encoded triplet'],
  ])('rejects %s at position %i', (template, position, problem) => {
    let error: unknown;
    try {
      new UriTemplate(template);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UriTemplateError);
    expect(error).toBeInstanceOf(Error);
    const e = error as UriTemplateError;
    expect(e.position).toBe(position);
    expect(e.template).toBe(template);
    expect(e.message).toContain(JSON.stringify(template));
    expect(e.message).toContain(`position ${position}`);
    expect(e.message).toContain(problem);
  });

  it('bounds template length, expression count and variable count', () => {
    const long = 'x'.repeat(URI_TEMPLATE_LIMITS.templateLength + 1);
    expect(() => new UriTemplate(long)).toThrow(/longer than 8192 characters/);
    expect(new UriTemplate('x'.repeat(URI_TEMPLATE_LIMITS.templateLength)).match('x'.repeat(8192))).toEqual(
      {},
    );
    expect(() => new UriTemplate('{a}'.repeat(URI_TEMPLATE_LIMITS.expressions + 1))).toThrow(
      /more than 64 expressions/,
    );
    const vars = Array.from({ length: URI_TEMPLATE_LIMITS.variables + 1 }, (_, i) => `v${i}`);
    expect(() => new UriTemplate(`{${vars.join(',')}}`)).toThrow(/more than 128 variables/);
    expect(() => new UriTemplate('{'.repeat(5000))).toThrow(/position 1: '\{' inside an expression/);
  });
});

describe('UriTemplate.match', () => {
  it('matches the conformance template', () => {
    const t = new UriTemplate('test://template/{id}/data');
    expect(t.match('test://template/123/data')).toEqual({ id: '123' });
    expect(t.match('test://template/a%2Fb%20c/data')).toEqual({ id: 'a/b c' });
  });

  it.each([
    ['test://template/{id}/data', 'test://template/1/2/data'],
    ['test://template/{id}/data', 'test://template//data'],
    ['test://template/{id}/data', 'test://template/123/data/'],
    ['test://template/{id}/data', 'test://template/123/dat'],
    ['test://template/{id}/data', 'other://template/123/data'],
    ['test://template/{id}/data', 'test://template/1?x/data'],
    ['test://template/{id}/data', 'test://template/%E0%A4%A/data'],
    ['users://{id}', 'users://'],
    ['search://{?q}', 'search://x?q=1'],
    ['search://{?q}', 'search://&q=1'],
    ['api{/a,b}', 'api/x/y/z'],
    ['file:///{+path}', 'file:///'],
    ['{;list*}', ';list=a;other=b'],
  ])('%s does not match %s', (template, uri) => {
    expect(new UriTemplate(template).match(uri)).toBeNull();
  });

  it('lets reserved expansion span slashes and stop at a query or fragment the template supplies', () => {
    expect(new UriTemplate('file:///{+path}').match('file:///a/b/c.txt?x#y')).toEqual({
      path: 'a/b/c.txt?x#y',
    });
    const t = new UriTemplate('file:///{+path}{?version}');
    expect(t.match('file:///a/b/c.txt?version=2')).toEqual({ path: 'a/b/c.txt', version: '2' });
    expect(t.match('file:///a/b/c.txt')).toEqual({ path: 'a/b/c.txt' });
    expect(new UriTemplate('{+dir}/{name}').match('a/b/c')).toEqual({ dir: 'a/b', name: 'c' });
    expect(new UriTemplate('docs://{+path}{#section}').match('docs://a/b#intro')).toEqual({
      path: 'a/b',
      section: 'intro',
    });
  });

  it('reads query params in any order, leaves missing ones out and ignores unknown ones', () => {
    const t = new UriTemplate('search://{?q,lang}{&page}');
    expect(t.match('search://?page=2&lang=en&q=a%26b%3Dc')).toEqual({ q: 'a&b=c', lang: 'en', page: '2' });
    expect(t.match('search://?lang=en&utm=x')).toEqual({ lang: 'en' });
    expect(t.match('search://?q=&q=second')).toEqual({ q: '' });
    expect(t.match('search://?q')).toEqual({ q: '' });
    expect(t.match('search://')).toEqual({});
    expect(new UriTemplate('x{?tag*}').match('x?tag=a&n=1&tag=b')).toEqual({ tag: ['a', 'b'] });
    expect(new UriTemplate('search://find?type=doc{&q}').match('search://find?type=doc&q=1')).toEqual({
      q: '1',
    });
  });

  it('matches path, label, fragment and path-parameter forms', () => {
    expect(new UriTemplate('api://items{/id}').match('api://items/7')).toEqual({ id: '7' });
    expect(new UriTemplate('api://items{/id}').match('api://items')).toEqual({});
    expect(new UriTemplate('api{/a,b}').match('api/x')).toEqual({ a: 'x' });
    expect(new UriTemplate('api{/seg*}').match('api/a/b%2Fc')).toEqual({ seg: ['a', 'b/c'] });
    const file = new UriTemplate('files://{name}{.ext}');
    expect(file.match('files://report.pdf')).toEqual({ name: 'report', ext: 'pdf' });
    expect(file.match('files://report.final.pdf')).toEqual({ name: 'report', ext: 'final.pdf' });
    expect(file.match('files://report')).toEqual({ name: 'report' });
    expect(new UriTemplate('{+dir}{.ext}').match('a.b/c.txt')).toEqual({ dir: 'a.b/c.txt' });
    expect(new UriTemplate('{/file}{.ext}').match('/c.txt')).toEqual({ file: 'c', ext: 'txt' });
    expect(new UriTemplate('www{.dom*}').match('www.example.com')).toEqual({ dom: ['example', 'com'] });
    expect(new UriTemplate('page{#frag}').match('page#a,b')).toEqual({ frag: 'a,b' });
    expect(new UriTemplate('m{;x,xy,empty}').match('m;xy=1;empty')).toEqual({ xy: '1', empty: '' });
    expect(new UriTemplate('m{;list*}').match('m;list=a;list=b')).toEqual({ list: ['a', 'b'] });
    expect(new UriTemplate('{x,y}').match('1024,768')).toEqual({ x: '1024', y: '768' });
    expect(new UriTemplate('{list*}').match('red,green')).toEqual({ list: ['red', 'green'] });
  });

  it('never splits a percent-encoded triplet or a multi-byte UTF-8 sequence between variables', () => {
    expect(new UriTemplate('{a}{b}').match('%41%42')).toEqual({ a: 'A', b: 'B' });
    expect(new UriTemplate('{a}{b}').match('%C3%A9x')).toEqual({ a: 'é', b: 'x' });
    expect(new UriTemplate('{a}{b}').match('%C3%A9')).toBeNull();
    expect(new UriTemplate('{/a}{/b}{+c}').match('/%20/-%C3%A9%20')).toEqual({ a: ' ', b: '-é', c: ' ' });
  });

  it('requires a repeated variable to have the same value everywhere', () => {
    const t = new UriTemplate('{id}/{id}{?id}');
    expect(t.match('a/a?id=a')).toEqual({ id: 'a' });
    expect(t.match('a/b')).toBeNull();
    expect(t.match('a/a?id=b')).toBeNull();
  });

  it('does not confuse Object.prototype names with variables', () => {
    expect(new UriTemplate('x{?constructor}').match('x?toString=1&constructor=2')).toEqual({
      constructor: '2',
    });
  });
});

describe('UriTemplate.match: no looser than expansion', () => {
  it('reads path-style parameters with several variables and explode', () => {
    const t = new UriTemplate('m{;x*,y}');
    expect(t.expand({ x: ['a'], y: '1' })).toBe('m;x=a;y=1');
    expect(t.match('m;x=a;y=1')).toEqual({ x: ['a'], y: '1' });
    expect(t.match('m;x=a;x;x=b;y')).toEqual({ x: ['a', '', 'b'], y: '' });
    expect(t.match('m;x=a;z=1')).toBeNull();
    expect(new UriTemplate('{;x}').match(';x=')).toEqual({ x: [''] });
    expect(new UriTemplate('{;x*}').match(';x=')).toBeNull();
  });

  it('limits a prefixed value to its length, counting characters as expansion does', () => {
    const t = new UriTemplate('{x:3}');
    expect(t.match('abc')).toEqual({ x: 'abc' });
    expect(t.match('abcd')).toBeNull();
    expect(t.match('%C3%A9%F0%9F%98%80b')).toEqual({ x: 'é😀b' });
    expect(t.match('%C3%A9%C3%A9%C3%A9%C3%A9')).toBeNull();
    expect(new UriTemplate('{x:3}{y}').match('abcdef')).toEqual({ x: 'abc', y: 'def' });
    expect(new UriTemplate('{+x:2}').match('%2F%2F')).toEqual({ x: '%2F%2F' });
    expect(new UriTemplate('{+x:2}').match('%2F%2F%2F')).toBeNull();
    expect(new UriTemplate('{?q:2}').match('?q=abc')).toBeNull();
  });

  it('never lets a non-reserved value hold a raw reserved character', () => {
    for (const uri of ['a/b', 'a?b', 'a#b', 'a:b', 'a@b', 'a=b', 'a!b', "a'b", 'a$b', 'a;b', 'a+b', 'a[b']) {
      expect(new UriTemplate('{x}').match(uri)).toBeNull();
      expect(new UriTemplate('{+x}').match(uri)).toEqual({ x: uri });
    }
    expect(new UriTemplate('{/x}').match('/a:b')).toBeNull();
    expect(new UriTemplate('{?x}').match('?x=a/b', { exact: true })).toBeNull();
    expect(new UriTemplate('{x}').match('a,b')).toEqual({ x: ['a', 'b'] });
    expect(new UriTemplate('{x}').expand({ x: ['a', 'b'] })).toBe('a,b');
  });

  it('keeps reserved triplets of a reserved value as they are, so that expansion gives them back', () => {
    const t = new UriTemplate('file:///{+path}');
    expect(t.match('file:///a%2Fb%20c')).toEqual({ path: 'a%2Fb c' });
    expect(t.expand({ path: 'a%2Fb c' })).toBe('file:///a%2Fb%20c');
    expect(t.match('file:///%2541')).toEqual({ path: '%2541' });
    expect(t.match('file:///%25%20')).toEqual({ path: '% ' });
  });

  it('compares URIs after normalization and refuses malformed ones', () => {
    const t = new UriTemplate('x/{id}');
    expect(t.match('x/%7e%41')).toEqual({ id: '~A' });
    expect(t.match('x/%c3%a9')).toEqual({ id: 'é' });
    expect(t.match('x/é')).toEqual({ id: 'é' });
    expect(t.match('%78/a')).toEqual({ id: 'a' });
    expect(t.match('x/\uD800')).toBeNull();
    expect(t.match('x/%FF')).toBeNull();
    expect(t.match('x/%C3')).toBeNull();
  });

  it('reads fragment variables that are left out', () => {
    expect(new UriTemplate('{#a,b}').match('#1')).toEqual({ a: '1' });
    expect(new UriTemplate('{#a,b}').match('#,2')).toEqual({ a: '', b: '2' });
  });

  it('with exact, matches only the query the template expands to', () => {
    const t = new UriTemplate('search://{?q,lang}');
    expect(t.match('search://?q=a&lang=en', { exact: true })).toEqual({ q: 'a', lang: 'en' });
    expect(t.match('search://?lang=en&q=a', { exact: true })).toBeNull();
    expect(t.match('search://?q=a&utm=1', { exact: true })).toBeNull();
    expect(t.match('search://?lang=en&q=a')).toEqual({ q: 'a', lang: 'en' });
    expect(new UriTemplate('{+p}{?q}').match('a?b')).toEqual({ p: 'a?b' });
  });
});

describe('UriTemplate: expand then match', () => {
  const text = fc.string({ unit: 'binary', maxLength: 20 });
  const nonEmpty = fc.string({ unit: 'binary', minLength: 1, maxLength: 20 });
  const pathText = fc.string({
    unit: fc.constantFrom('a', 'B', '7', '/', '-', '.', '_', '~', ':', '@', '!', ' ', 'é'),
    minLength: 1,
    maxLength: 30,
  });

  it('round-trips simple values through the conformance template', () => {
    const t = new UriTemplate('test://template/{id}/data');
    fc.assert(
      fc.property(nonEmpty, (id) => {
        expect(t.match(t.expand({ id }))).toEqual({ id });
      }),
    );
  });

  it('round-trips a reserved path with optional query params', () => {
    const t = new UriTemplate('file:///{+path}{?version,lang}');
    fc.assert(
      fc.property(pathText, fc.option(text, { nil: undefined }), fc.option(text), (path, version, lang) => {
        const values = { path, version, lang: lang ?? undefined };
        const expected = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined));
        expect(t.match(t.expand(values))).toEqual(expected);
      }),
    );
  });

  it('round-trips exploded lists in path segments and query params', () => {
    const t = new UriTemplate('api://{/seg*}{?tag*}');
    fc.assert(
      fc.property(fc.array(nonEmpty, { maxLength: 4 }), fc.array(text, { maxLength: 4 }), (seg, tag) => {
        const expected: Record<string, string[]> = {};
        if (seg.length) expected.seg = seg;
        if (tag.length) expected.tag = tag;
        expect(t.match(t.expand({ seg, tag }))).toEqual(expected);
      }),
    );
  });

  it('gives values that expand back to the very URI they were matched from', () => {
    const encoded = fc.string({
      unit: fc.constantFrom('a', '/', ',', ';', '=', '?', '&', '#', '@', ' ', 'é', '%'),
    });
    const plain = fc.string({ unit: fc.constantFrom('a', '-', '_', '~', ' ', 'é') });
    for (const source of [
      '{a}{b}',
      '{a}-{b}',
      '{a}@{b}:{c}',
      '?x={a}&y={b}',
      '{a,b}{/c}{.d}{;e,f}{?g}{&h}{#i}',
      '{+a}/{b}{?c,d}',
      '{/a}{/b}{+c}',
      '{+a,b}',
    ]) {
      const t = new UriTemplate(source);
      const value = fc.option(/[+#]/.test(source) ? plain : encoded, { nil: undefined });
      const values = fc.record(Object.fromEntries(t.variableNames.map((n) => [n, value])));
      fc.assert(
        fc.property(values, (v) => {
          const uri = t.expand(v);
          const found = t.match(uri);
          if (found !== null) expect(t.expand(found)).toBe(uri);
        }),
        { numRuns: 300 },
      );
    }
  });

  it('round-trips several expressions at once', () => {
    const t = new UriTemplate('app://{org}/repos{/repo}{;v}{?q,page}{#section}');
    const values = { org: 'a b/c', repo: 'x,y', v: '', q: 'p&q', page: '3', section: 'Intro #2' };
    expect(t.expand(values)).toBe('app://a%20b%2Fc/repos/x%2Cy;v?q=p%26q&page=3#Intro%20#2');
    expect(t.match(t.expand(values))).toEqual(values);
  });
});

describe('UriTemplate: hostile input', () => {
  const max = URI_TEMPLATE_LIMITS.uriLength;

  it('refuses URIs over the length limit', () => {
    const t = new UriTemplate('{+all}');
    expect(t.match('a'.repeat(max))).toEqual({ all: 'a'.repeat(max) });
    expect(t.match('a'.repeat(max + 1))).toBeNull();
  });

  it('handles many adjacent greedy expressions on long URIs', () => {
    const names = Array.from({ length: 32 }, (_, i) => `v${i}`);
    const t = new UriTemplate(names.map((n) => `{+${n}}`).join(''));
    const result = t.match('a'.repeat(max));
    expect(result?.v0).toBe('a'.repeat(max - 31));
    expect(result?.v31).toBe('a');
    expect(t.match('a'.repeat(20))).toBeNull();
    expect(new UriTemplate(`${'{a}'.repeat(64)}!`).match('a'.repeat(max))).toBeNull();
  });

  it('handles long self-overlapping literals between expressions', () => {
    const lit = 'a'.repeat(200) + 'b';
    const t = new UriTemplate(`{x}${lit}{y}${lit}{z}`);
    expect(t.match('a'.repeat(max))).toBeNull();
    const uri = `q${lit}r${lit}s`;
    expect(t.match(uri)).toEqual({ x: 'q', y: 'r', z: 's' });
    expect(t.match('a'.repeat(max - uri.length) + uri)).toEqual({
      x: `${'a'.repeat(max - uri.length)}q`,
      y: 'r',
      z: 's',
    });
  });

  it('handles a long query with many params and many separators', () => {
    const t = new UriTemplate('s://x{?q,tag*}');
    const many = '&tag=1'.repeat(9000);
    const result = t.match(`s://x?q=1${many}`);
    expect(result?.q).toBe('1');
    expect(result?.tag).toHaveLength(9000);
    expect(t.match(`s://x?${'&'.repeat(max - 6)}`)).toEqual({});
    expect(t.match(`s://x?q=${'%'.repeat(max - 8)}`)).toBeNull();
  });
});
