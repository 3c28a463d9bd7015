import React from 'react';
import { FlexPlugin } from '@twilio/flex-plugin';

import CustomTaskInfo from './components/CustomTaskInfo';

const PLUGIN_NAME = 'DemoPlugin';

export default class DemoPlugin extends FlexPlugin {
  constructor() {
    super(PLUGIN_NAME);
  }

  /**
   * This code is run when your plugin is being started.
   * @param flex { typeof import('@twilio/flex-ui') }
   * @param manager { import('@twilio/flex-ui').Manager }
   */
  async init(flex, manager) {
    flex.TaskInfoPanel.Content.add(<CustomTaskInfo key="demo-task-info" manager={manager} />, { sortOrder: -1 });
  }
}
