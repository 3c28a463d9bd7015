// The only build hook Flex offers: @twilio/flex-plugin-scripts requires this file and awaits it.
const { FlexguardWebpackPlugin } = require('flexguard/webpack');

module.exports = (config, { isProd }) => {
  config.plugins.push(new FlexguardWebpackPlugin());
  return config;
};
