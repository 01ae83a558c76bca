'use strict';
// Maps every @salesforce/label/c.X import to its English value from
// CustomLabels.labels-meta.xml, so component tests read the text users see.
const mockFs = require('fs');
const mockPath = require('path');

const mockFile = mockPath.join(
  __dirname,
  '../../../force-app/main/default/labels/CustomLabels.labels-meta.xml'
);
const mockXml = mockFs.readFileSync(mockFile, 'utf8');
const mockUnescape = (text) =>
  text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');

for (const mockMatch of mockXml.matchAll(/<labels>([\s\S]*?)<\/labels>/g)) {
  const mockBody = mockMatch[1];
  const mockName = /<fullName>([^<]+)<\/fullName>/.exec(mockBody);
  const mockValue = /<value>([\s\S]*?)<\/value>/.exec(mockBody);
  if (!mockName || !mockValue) continue;
  const mockText = mockUnescape(mockValue[1].trim().replace(/\s+/g, ' '));
  jest.doMock(`@salesforce/label/c.${mockName[1]}`, () => ({ default: mockText }), {
    virtual: true
  });
}
