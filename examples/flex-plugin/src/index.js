import * as FlexPlugin from '@twilio/flex-plugin';

import DemoPlugin from './DemoPlugin';

FlexPlugin.loadPlugin(DemoPlugin);
