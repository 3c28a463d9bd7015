var appConfig = {
  pluginService: { enabled: true, url: '/plugins' },
  ytica: false,
  logLevel: 'info',
  showSupervisorDesktopView: true,
};
