// The two workloads of `bench/compare.js`, generated deterministically (a seeded generator, so
// every run and every machine lints the same bytes):
// - a Flex plugin repository of about 1,000 small files, laid out like Twilio's Flex project
//   template: a TypeScript plugin (feature folders with components, flex-hooks, config, types,
//   strings), a serverless service of Functions with a shared helper, tests, and JSON/YAML
//   configs, with a few planted FAKE credentials;
// - one ~10 MB single-file bundle in webpack 5's production shape (`var e={id:(e,t,n)=>{…}}`),
//   whose modules are the bench corpus' real SDK builds plus plugin-sized modules.
"use strict";
const fs = require("fs");
const path = require("path");
const { fill } = require("../npm/test/testgen");

/** A small deterministic generator (mulberry32). */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = ["callback", "voicemail", "queue", "transfer", "supervisor", "barge", "coach", "schedule", "caller", "dialpad", "conference", "recording", "activity", "skill", "worker", "task", "chat", "video", "location", "pending", "preview", "dialer", "agent", "timeline", "hold", "mute", "wrapup", "canned", "response", "branding", "theme", "report"];

function generator(seed) {
  const next = random(seed);
  const int = (n) => Math.floor(next() * n);
  const pick = (xs) => xs[int(xs.length)];
  const pascal = (s) => s.replace(/(^|-)([a-z])/g, (_, __, c) => c.toUpperCase());
  const camel = (s) => s.replace(/-([a-z])/g, (_, c) => c.toUpperCase());
  const name = (n = 2) => Array.from({ length: n }, () => pick(WORDS)).join("-");
  return { next, int, pick, pascal, camel, name };
}

function component(g, feature, name) {
  const props = Array.from({ length: 2 + g.int(5) }, () => g.camel(g.name()));
  const handlers = Array.from({ length: 1 + g.int(4) }, (_, i) => `  const handle${g.pascal(g.name())}${i} = async () => {
    setLoading(true);
    try {
      const result = await ${g.pascal(feature)}Service.${g.camel(g.name())}(task?.sid ?? '', ${props[0]});
      setState((previous) => ({ ...previous, ${g.camel(g.name())}: result }));
    } catch (error) {
      Notifications.showNotification('${g.camel(feature)}Error', { message: String(error) });
    } finally {
      setLoading(false);
    }
  };
`).join("\n");
  return `import React, { useEffect, useState } from 'react';
import { withTaskContext, ITask, Notifications, Template, templates } from '@twilio/flex-ui';
import { Box, Button, Flex, Text, Stack } from '@twilio-paste/core';

import ${g.pascal(feature)}Service from '../../utils/${g.pascal(feature)}Service';
import { StringTemplates } from '../../flex-hooks/strings';

interface ${name}Props {
  task?: ITask;
${props.map((p) => `  ${p}?: string;`).join("\n")}
}

const ${name} = ({ task, ${props.join(", ")} }: ${name}Props) => {
  const [loading, setLoading] = useState(false);
  const [state, setState] = useState<Record<string, unknown>>({});

  useEffect(() => {
    if (!task) return;
    setState({ taskSid: task.sid, queue: task.queueName, attributes: task.attributes });
  }, [task?.sid]);

${handlers}
  return (
    <Box padding="space40" element="${feature.toUpperCase()}_BOX">
      <Stack orientation="vertical" spacing="space30">
        <Text as="h4" fontWeight="fontWeightBold">
          <Template source={templates[StringTemplates.${g.pascal(g.name())}Title]} />
        </Text>
${props.map((p) => `        {${p} && <Text as="p">{${p}}</Text>}`).join("\n")}
        <Flex hAlignContent="right">
          <Button variant="primary" size="small" loading={loading} onClick={handle${handlers.match(/handle(\w+) =/)[1]}}>
            <Template source={templates[StringTemplates.${g.pascal(g.name())}]} />
          </Button>
        </Flex>
      </Stack>
    </Box>
  );
};

export default withTaskContext(${name});
`;
}

function service(g, feature) {
  const methods = Array.from({ length: 2 + g.int(4) }, () => g.camel(g.name()));
  return `import ApiService from '../../../utils/serverless/ApiService';
import { EncodedParams } from '../../../types/serverless';

class ${g.pascal(feature)}Service extends ApiService {
${methods.map((m) => `  ${m} = async (taskSid: string, value?: string): Promise<unknown> => {
    const encodedParams: EncodedParams = {
      taskSid: encodeURIComponent(taskSid),
      value: value ? encodeURIComponent(value) : undefined,
      Token: encodeURIComponent(this.manager.user.token),
    };
    return this.fetchJsonWithReject(\`\${this.serverlessProtocol}://\${this.serverlessDomain}/features/${feature}/flex/${m}\`, {
      method: 'post',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: this.buildBody(encodedParams),
    });
  };
`).join("\n")}}

export default new ${g.pascal(feature)}Service();
`;
}

function hook(g, feature, kind) {
  const action = g.pascal(g.name());
  return `import * as Flex from '@twilio/flex-ui';

import { FlexActionEvent, FlexAction } from '../../../../types/feature-loader';
import { is${g.pascal(feature)}Enabled } from '../../config';

export const actionEvent = FlexActionEvent.${g.pick(["before", "after", "replace"])};
export const actionName = FlexAction.${action};
// ${kind}: ${g.name(5).replace(/-/g, " ")}
export const actionHook = async function ${g.camel(feature)}${action}(flex: typeof Flex, manager: Flex.Manager) {
  if (!is${g.pascal(feature)}Enabled()) return;
  flex.Actions.addListener(\`\${actionEvent}\${actionName}\`, async (payload: any, abortFunction: () => void) => {
    const state = manager.store.getState();
    if (!payload.task && !state.flex.view.selectedTaskSid) return;
    const attributes = payload.task?.attributes ?? {};
    if (attributes.${g.camel(g.name())} === '${g.name()}') abortFunction();
  });
};
`;
}

function config(g, feature) {
  return `import { getFeatureFlags } from '../../utils/configuration';
import ${g.pascal(feature)}Config from './types/ServiceConfiguration';

const { enabled = false, ${g.camel(g.name())} = ${g.int(10)} } = (getFeatureFlags()?.features?.${feature.replace(/-/g, "_")} as ${g.pascal(feature)}Config) || {};

export const is${g.pascal(feature)}Enabled = () => enabled;
`;
}

function strings(g, feature) {
  const keys = Array.from({ length: 4 + g.int(8) }, () => g.pascal(g.name()));
  return `export enum StringTemplates {
${keys.map((k) => `  ${k} = 'PS${g.pascal(feature)}${k}',`).join("\n")}
}

export const stringHook = () => ({
  'en-US': {
${keys.map((k) => `    [StringTemplates.${k}]: '${g.name(3).replace(/-/g, " ")}',`).join("\n")}
  },
});
`;
}

function test(g, feature, name) {
  return `import { render, screen, fireEvent } from '@testing-library/react';
import React from 'react';

import ${name} from './${name}';

jest.mock('../../utils/${g.pascal(feature)}Service', () => ({
  ${g.camel(g.name())}: jest.fn(() => Promise.resolve({ success: true })),
}));

describe('${name}', () => {
${Array.from({ length: 1 + g.int(4) }, () => `  it('${g.name(4).replace(/-/g, " ")}', async () => {
    render(<${name} task={{ sid: 'WT${"0".repeat(32)}' } as any} />);
    fireEvent.click(screen.getByRole('button'));
    expect(await screen.findByText('${g.name()}')).toBeDefined();
  });
`).join("\n")}});
`;
}

function fn(g, feature, op) {
  const params = Array.from({ length: 1 + g.int(3) }, () => g.camel(g.name()));
  return `const { prepareFlexFunction, extractStandardResponse, twilioExecute } = require(Runtime.getFunctions()[
  'common/helpers/function-helper'
].path);

const requiredParameters = [
${params.map((p) => `  { key: '${p}', purpose: '${g.name(4).replace(/-/g, " ")}' },`).join("\n")}
];

exports.handler = prepareFlexFunction(requiredParameters, async (context, event, callback, response, handleError) => {
  try {
    const { ${params.join(", ")} } = event;
    const result = await twilioExecute(context, (client) =>
      client.taskrouter.v1
        .workspaces(context.TWILIO_FLEX_WORKSPACE_SID)
        .tasks(${params[0]})
        .update({ attributes: JSON.stringify({ ${op.replace(/-/g, "_")}: ${params[params.length - 1]} }) }),
    );
    response.setStatusCode(result.status);
    response.setBody({ ...extractStandardResponse(result) });
    return callback(null, response);
  } catch (error) {
    return handleError(error);
  }
});
`;
}

function json(g, keys) {
  const out = {};
  for (let i = 0; i < keys; i++) out[g.camel(g.name())] = g.int(3) === 0 ? { enabled: g.int(2) === 0, [g.camel(g.name())]: g.name(3) } : g.name(2);
  return JSON.stringify(out, null, 2) + "\n";
}

/**
 * Write the plugin repository into `dir` (emptied first); returns { dir, files, bytes }.
 * About 1,000 files and 1.4 MB, like the Flex project template.
 */
function generatePluginRepository(dir, seed = 20) {
  fs.rmSync(dir, { recursive: true, force: true });
  const g = generator(seed);
  let files = 0;
  let bytes = 0;
  const write = (file, text) => {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
    files++;
    bytes += Buffer.byteLength(text);
  };
  const plugin = "plugin-flex-ts-template-v2";
  write("package.json", JSON.stringify({ name: "flex-project", private: true, workspaces: [plugin, "serverless-functions"] }, null, 2) + "\n");
  write(`${plugin}/package.json`, JSON.stringify({ name: plugin, version: "1.0.0", dependencies: { "@twilio/flex-ui": "^2", "@twilio-paste/core": "^20", react: "17.0.2" }, devDependencies: { "@twilio/flex-plugin-scripts": "^7" } }, null, 2) + "\n");
  write(`${plugin}/tsconfig.json`, JSON.stringify({ compilerOptions: { target: "es2019", jsx: "react", strict: true } }, null, 2) + "\n");
  write("serverless-functions/package.json", JSON.stringify({ name: "serverless-functions", dependencies: { twilio: "^4", "twilio-flex-token-validator": "^1" } }, null, 2) + "\n");
  // Planted FAKE credentials (generated here, not real): one in an env file, one in a Function.
  write("serverless-functions/.env", `ACCOUNT_SID=${fill("AC{hex32}", 7001)}\nAUTH_TOKEN=${fill("{hex32}", 7002)}\nTWILIO_FLEX_WORKSPACE_SID=${fill("WS{hex32}", 7003)}\n`);
  write("serverless-functions/src/functions/common/helpers/function-helper.private.js", `const TokenValidator = require('twilio-flex-token-validator').functionValidator;\n\nexports.prepareFlexFunction = (requiredParameters, fn) => TokenValidator(async (context, event, callback) => {\n  const response = new Twilio.Response();\n  return fn(context, event, callback, response, (error) => callback(error));\n});\nexports.extractStandardResponse = (result) => ({ success: result.success, status: result.status });\nexports.twilioExecute = async (context, fn) => ({ success: true, status: 200, data: await fn(context.getTwilioClient()) });\n`);
  for (let w = 0; w < 6; w++) write(`.github/workflows/${g.name()}-${w}.yml`, `name: ${g.name(3)}\non: [push]\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: npm ci && npm run ${g.name()}\n`);
  for (let c = 0; c < 8; c++) write(`flex-config/ui_attributes.${g.name()}-${c}.json`, json(g, 20 + g.int(30)));
  write(`${plugin}/src/utils/serverless/ApiService.ts`, `import * as Flex from '@twilio/flex-ui';\n\nexport default abstract class ApiService {\n  protected manager = Flex.Manager.getInstance();\n  readonly serverlessDomain: string = process.env.FLEX_APP_SERVERLESS_FUNCTONS_DOMAIN ?? '';\n  readonly serverlessProtocol = 'https';\n  protected buildBody(params: Record<string, string | undefined>) {\n    return Object.entries(params).filter(([, v]) => v !== undefined).map(([k, v]) => \`\${k}=\${v}\`).join('&');\n  }\n  protected async fetchJsonWithReject<T>(url: string, config: RequestInit): Promise<T> {\n    const response = await fetch(url, config);\n    if (!response.ok) throw response;\n    return response.json();\n  }\n}\n`);
  write(`${plugin}/src/index.ts`, `import * as FlexPlugin from '@twilio/flex-plugin';\n\nimport Plugin from './Plugin';\n\nFlexPlugin.loadPlugin(Plugin);\n`);

  const features = new Set();
  while (features.size < 52) features.add(g.name());
  for (const feature of features) {
    const base = `${plugin}/src/feature-library/${feature}`;
    write(`${base}/config.ts`, config(g, feature));
    write(`${base}/index.ts`, `import { FeatureDefinition } from '../../types/feature-loader';\nimport { isFeatureEnabled } from './config';\n\nexport const register = (): FeatureDefinition => {\n  if (!isFeatureEnabled()) return {};\n  return { name: '${feature}', hooks: [] };\n};\n`);
    write(`${base}/types/ServiceConfiguration.ts`, `export default interface ${g.pascal(feature)}Config {\n  enabled: boolean;\n  ${g.camel(g.name())}: number;\n}\n`);
    write(`${base}/flex-hooks/strings/index.ts`, strings(g, feature));
    write(`${base}/utils/${g.pascal(feature)}Service.ts`, service(g, feature));
    for (let h = 0, n = 2 + g.int(4); h < n; h++) write(`${base}/flex-hooks/actions/${g.pascal(g.name())}${h}.ts`, hook(g, feature, "action"));
    for (let c = 0, n = 2 + g.int(4); c < n; c++) {
      const name = `${g.pascal(g.name())}${c}`;
      write(`${base}/custom-components/${name}/${name}.tsx`, component(g, feature, name));
      write(`${base}/custom-components/${name}/index.ts`, `export { default } from './${name}';\n`);
      if (g.int(3) === 0) write(`${base}/custom-components/${name}/${name}.test.tsx`, test(g, feature, name));
    }
    if (g.int(2) === 0) write(`${base}/flex-hooks/strings/${g.pick(["es-MX", "fr-FR", "pt-BR"])}.json`, json(g, 8 + g.int(12)));
    for (let f = 0, n = 1 + g.int(4); f < n; f++) {
      const op = `${g.name()}-${f}`;
      write(`serverless-functions/src/functions/features/${feature}/flex/${op}.js`, fn(g, feature, op));
    }
  }
  return { dir, files, bytes };
}

/**
 * Write one ~10 MB bundle in webpack 5's production shape into `file`: each bench corpus file
 * (real SDK builds, findings planted) wrapped as a module, then plugin-sized modules up to the
 * size. Returns { file, bytes, modules }.
 */
function buildBundle(file, corpusFiles, targetBytes = 10 * 1024 * 1024) {
  const g = generator(5);
  const modules = corpusFiles.map((f) => fs.readFileSync(f, "utf8"));
  let size = modules.reduce((n, m) => n + m.length, 0);
  while (size < targetBytes - 4096) {
    const op = g.name();
    const fields = Array.from({ length: 2 + g.int(6) }, () => `${g.camel(g.name())}:r.${g.camel(g.name())}`).join(",");
    const module = `"use strict";n.r(t),n.d(t,{default:()=>l});var o=n(${100 + g.int(900)}),a=n(${100 + g.int(900)});const s="https://${op}-${1000 + g.int(9000)}.twil.io";async function l(e,r){const i=await fetch(\`\${s}/features/${op}/flex/${g.name()}\`,{method:"POST",headers:{"Content-Type":"application/x-www-form-urlencoded"},body:new URLSearchParams({taskSid:e,${fields},Token:a.Manager.getInstance().user.token})});if(!i.ok)throw new Error("${g.name(4)}");return o.createElement("div",null,(await i.json()).${g.camel(g.name())})}`;
    modules.push(module);
    size += module.length;
  }
  const table = modules.map((m, i) => `${1000 + i * 7}:(e,t,n)=>{${m}\n}`).join(",");
  const runtime = "var r={};function n(o){var i=r[o];if(void 0!==i)return i.exports;var a=r[o]={exports:{}};return e[o].call(a.exports,a,a.exports,n),a.exports}n(1000);";
  const text = `/*! For license information please see main.js.LICENSE.txt */\n(()=>{var e={${table}};${runtime}})();\n`;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return { file, bytes: Buffer.byteLength(text), modules: modules.length };
}

module.exports = { generatePluginRepository, buildBundle };
