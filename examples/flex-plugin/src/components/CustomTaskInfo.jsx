import React from 'react';
import PropTypes from 'prop-types';

import { sendSms } from '../services/twilioApi';

// A help link to Twilio's docs is fine: it is never requested by the plugin.
const DOCS = 'https://www.twilio.com/docs/flex/developer/plugins';

const CustomTaskInfo = ({ task }) => (
  <div>
    <button type="button" onClick={() => sendSms(task.attributes.from, 'Thanks for calling!')}>
      Send follow-up SMS
    </button>
    <a href={DOCS}>How this works</a>
  </div>
);

CustomTaskInfo.propTypes = { task: PropTypes.object };

export default CustomTaskInfo;
