/**
 * The editor's starting text: a small Flex plugin with the anti-patterns flexguard exists to stop.
 * Its credentials are FAKE and generated at page load, so this file (which the repo lints) holds none.
 */

/** Random lowercase hex from the browser's CSPRNG: a fresh fake value on every page load. */
function fakeHex(length: number): string {
  const bytes = crypto.getRandomValues(new Uint8Array(Math.ceil(length / 2)));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("").slice(0, length);
}

export function examplePlugin(): string {
  const fakeSid = "AC" + fakeHex(32);
  const fakeToken = fakeHex(32);
  const restHost = ["api", "twilio", "com"].join(".");
  return [
    "// Example Flex plugin. The credentials below are FAKE, generated when this page loaded.",
    "import { FlexPlugin } from '@twilio/flex-plugin';",
    "",
    `const ACCOUNT_SID = '${fakeSid}';`,
    `const AUTH_TOKEN = '${fakeToken}';`,
    "",
    "export default class DemoPlugin extends FlexPlugin {",
    "  constructor() {",
    "    super('DemoPlugin');",
    "  }",
    "",
    "  async init(flex, manager) {",
    "    flex.Actions.addListener('afterAcceptTask', async (payload) => {",
    "      // Anti-pattern: account credentials and a REST call in every agent's browser.",
    `      await fetch(\`https://${restHost}/2010-04-01/Accounts/\${ACCOUNT_SID}/Messages.json\`, {`,
    "        method: 'POST',",
    "        headers: { Authorization: 'Basic ' + btoa(ACCOUNT_SID + ':' + AUTH_TOKEN) },",
    "        body: new URLSearchParams({ To: payload.task.attributes.from, From: '+15005550006', Body: 'Hello' }),",
    "      });",
    "    });",
    "  }",
    "}",
    "",
  ].join("\n");
}
