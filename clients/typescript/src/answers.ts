// A parent's answers, per step of the questionnaire: the "golden" persona of the server's engine
// tests (tests/src/aanvraag.rs), as an app would send them. The journey checks them against the
// questionnaire the API serves (every step answered, every question id known) before sending.

export type Answer = boolean | number | string | readonly string[] | readonly Record<string, number | string>[];

export const ANSWERS: Readonly<Record<string, Readonly<Record<string, Answer>>>> = {
  start: {
    "start.erkend": true,
    "start.ib-definitief": true,
    "start.eerder-afgewikkeld": "nee",
    "start.advocaat": false,
    "start.taal": "nl",
  },
  gegevens: { "gegevens.toestemming": [] },
  tijdlijn: {
    "tijdlijn.probleemstart": "2012-03-01",
    "tijdlijn.toeslagjaren": [{ jaar: 2010, teruggevorderd: 300000, terugbetaald: 150000, "datum-terugvordering": "2012-03-01" }],
    "tijdlijn.gezinsleden": 4,
    "tijdlijn.leefgebieden": ["wonen", "werk-inkomen", "schulden", "gezin", "gezondheid", "opleiding", "bezittingen", "kosten"],
  },
  wonen: {
    "wonen.geraakt": true,
    "wonen.verlies-soort": "koopwoning",
    "wonen.verlies-datum": "2014-05-01",
    "wonen.noodgedwongen-verhuisd": true,
    "wonen.verhuis-datum": "2014-06-01",
    "wonen.dakloos": true,
    "wonen.dakloos-jaren": 2,
    "wonen.dakloos-sinds": "2014-06-01",
  },
  "werk-inkomen": {
    "werk-inkomen.geraakt": true,
    "werk-inkomen.baan-verloren": true,
    "werk-inkomen.baanverlies-datum": "2013-01-15",
    "werk-inkomen.minder-gewerkt": true,
    "werk-inkomen.minder-gewerkt-jaren": 3,
    "werk-inkomen.minder-gewerkt-sinds": "2013-02-01",
    "werk-inkomen.onderneming-beeindigd": false,
    "werk-inkomen.pensioen-gemist": false,
  },
  schulden: {
    "schulden.geraakt": true,
    "schulden.beslag": true,
    "schulden.beslag-datum": "2012-09-01",
    "schulden.beslag-duur": "lang",
    "schulden.deurwaarder": false,
  },
  gezin: {
    "gezin.geraakt": true,
    "gezin.relatiebreuk": true,
    "gezin.relatiebreuk-datum": "2011-06-01",
    "gezin.uithuisplaatsing": true,
    "gezin.uithuisgeplaatst-aantal": 2,
    "gezin.uithuisplaatsing-datum": "2015-01-01",
  },
  gezondheid: { "gezondheid.geraakt": true, "gezondheid.ernst": "zwaar", "gezondheid.klachten-sinds": "2012-06-01" },
  opleiding: { "opleiding.geraakt": true, "opleiding.vertraging-jaren": 1, "opleiding.sinds": "2013-09-01" },
  bezittingen: { "bezittingen.geraakt": true, "bezittingen.waarde-klasse": "tot-5000", "bezittingen.datum": "2013-03-01" },
  kosten: { "kosten.geraakt": true, "kosten.vervangende-opvang": false, "kosten.juridisch": "aanzienlijk" },
  "eigen-verhaal": { "eigen-verhaal.tekst": "Wij verloren ons huis en daarna bijna alles." },
  ondersteuning: { "ondersteuning.herstelrechtgesprek": true },
  overzicht: { "overzicht.naar-waarheid": true },
};
