// The rule editor's bridge to Monaco (loaded from BlazorMonaco's static web assets, only on the editor page).
// Everything here is data in, data out: the page decides what to show, this file only talks to Monaco.
const vs = '/_content/BlazorMonaco/lib/monaco-editor/min/vs';
let loading = null;

function script(src) {
    return new Promise((resolve, reject) => {
        const s = document.createElement('script');
        s.src = src;
        s.onload = () => resolve();
        s.onerror = () => reject(new Error('could not load ' + src));
        document.head.appendChild(s);
    });
}

// Loads BlazorMonaco's interop and Monaco itself once per page (about 3 MB: the other portal pages never pay for it).
export function loadMonaco() {
    if (window.monaco && window.blazorMonaco) {
        return Promise.resolve();
    }
    loading ??= (async () => {
        await script('/_content/BlazorMonaco/jsInterop.js');
        await script(vs + '/loader.js');
        window.require.config({ paths: { vs } });
        await new Promise((resolve, reject) => window.require(['vs/editor/editor.main'], () => resolve(), reject));
    })();
    return loading;
}

// Monaco's JSON language validates and completes against the pack schema, for every model (fileMatch '*').
// The packs name their schema with "$schema": "./rulepack.schema.json": the schema is registered under that id too,
// so the language service finds it instead of trying (and failing) to download it.
export function useSchema(schemaText) {
    const schema = JSON.parse(schemaText);
    monaco.languages.json.jsonDefaults.setDiagnosticsOptions({
        validate: true,
        allowComments: false,
        enableSchemaRequest: false,
        schemas: [
            { uri: 'inmemory://model/rulepack.schema.json', fileMatch: ['*'], schema },
            { uri: './rulepack.schema.json', schema },
        ],
    });
}

function model(editorId) {
    return window.blazorMonaco.editor.getEditor(editorId).getModel();
}

// The API's validation errors as markers (red squiggles, hover message, the overview ruler); [] clears them.
export function setMarkers(editorId, markers) {
    monaco.editor.setModelMarkers(model(editorId), 'tradsys-validate', markers.map(m => ({
        startLineNumber: m.line,
        startColumn: m.column,
        endLineNumber: m.line,
        endColumn: Math.max(m.endColumn, m.column + 1),
        message: m.message,
        severity: monaco.MarkerSeverity.Error,
    })));
}

// The markers Monaco shows now (its own schema diagnostics and ours), for the page and the browser tests.
export function markers(editorId) {
    return monaco.editor.getModelMarkers({ resource: model(editorId).uri }).map(m => ({
        line: m.startLineNumber, column: m.startColumn, message: m.message, owner: m.owner,
    }));
}
