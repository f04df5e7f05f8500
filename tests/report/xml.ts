// A strict XML reader for the tests: enough of XML 1.0 to prove a document well-formed (one root,
// matching tags, quoted and unique attributes, only the five predefined entities and character
// references, no bare `<` or `&`) and to return its element tree. Throws on the first fault.
export interface XmlElement {
    readonly name: string;
    readonly attributes: Record<string, string>;
    readonly children: XmlElement[];
    text: string;
}

const NAME = /^[A-Za-z_:][\w:.-]*/;
const ENTITY = /&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/g;

function checkText(s: string, at: number): string {
    const bare = s.replace(ENTITY, "");
    if (bare.includes("&")) throw new Error(`an undeclared entity or bare & near offset ${at}`);
    if (bare.includes("<")) throw new Error(`a bare < near offset ${at}`);
    return s.replace(
        ENTITY,
        (_, e: string) =>
            ({ amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" })[e] ??
            String.fromCodePoint(Number(e.startsWith("#x") ? `0x${e.slice(2)}` : e.slice(1))),
    );
}

export function parseXml(doc: string): XmlElement {
    let i = 0;
    const stack: XmlElement[] = [];
    let root: XmlElement | undefined;
    const skip = () => {
        while (i < doc.length && /\s/.test(doc[i])) i++;
    };
    while (i < doc.length) {
        const lt = doc.indexOf("<", i);
        const text = doc.slice(i, lt < 0 ? doc.length : lt);
        if (stack.length === 0 && text.trim() !== "") throw new Error(`text outside the root element at offset ${i}`);
        if (stack.length > 0) stack[stack.length - 1].text += checkText(text, i);
        if (lt < 0) break;
        i = lt;
        if (doc.startsWith("<!--", i)) {
            const end = doc.indexOf("-->", i);
            if (end < 0) throw new Error("an unclosed comment");
            i = end + 3;
            continue;
        }
        if (doc.startsWith("</", i)) {
            i += 2;
            const name = NAME.exec(doc.slice(i))?.[0];
            if (!name) throw new Error(`a closing tag without a name at offset ${i}`);
            i += name.length;
            skip();
            if (doc[i] !== ">") throw new Error(`a closing tag </${name} not ended by > at offset ${i}`);
            i++;
            const open = stack.pop();
            if (!open || open.name !== name) throw new Error(`</${name}> closes <${open?.name ?? "nothing"}>`);
            continue;
        }
        i++;
        const name = NAME.exec(doc.slice(i))?.[0];
        if (!name) throw new Error(`a tag without a name at offset ${i}`);
        i += name.length;
        const el: XmlElement = { name, attributes: {}, children: [], text: "" };
        for (;;) {
            skip();
            if (doc.startsWith("/>", i) || doc[i] === ">") break;
            const attr = NAME.exec(doc.slice(i))?.[0];
            if (!attr) throw new Error(`a bad attribute in <${name}> at offset ${i}`);
            i += attr.length;
            skip();
            if (doc[i] !== "=") throw new Error(`attribute ${attr} of <${name}> has no value`);
            i++;
            skip();
            const quote = doc[i];
            if (quote !== '"' && quote !== "'") throw new Error(`attribute ${attr} of <${name}> is not quoted`);
            const end = doc.indexOf(quote, i + 1);
            if (end < 0) throw new Error(`attribute ${attr} of <${name}> is not closed`);
            if (attr in el.attributes) throw new Error(`attribute ${attr} twice in <${name}>`);
            el.attributes[attr] = checkText(doc.slice(i + 1, end), i);
            i = end + 1;
        }
        if (stack.length > 0) stack[stack.length - 1].children.push(el);
        else if (root) throw new Error(`a second root element <${name}>`);
        else root = el;
        if (doc.startsWith("/>", i)) i += 2;
        else {
            i++;
            stack.push(el);
        }
    }
    if (stack.length > 0) throw new Error(`<${stack[stack.length - 1].name}> is never closed`);
    if (!root) throw new Error("no root element");
    return root;
}

/** Every element of the tree, depth first. */
export function elements(e: XmlElement): XmlElement[] {
    return [e, ...e.children.flatMap(elements)];
}
