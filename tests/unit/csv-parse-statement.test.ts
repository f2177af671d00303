import { describe, expect, it } from 'vitest';
import { categorizeBatch, outputHeader } from '../../src/worker/handlers/csv/categorize-batch';
import { addTallies, EMPTY_TALLY } from '../../src/worker/handlers/csv/category-totals';
import { inspectStatementHead, parseStatement } from '../../src/worker/handlers/csv/parse-statement';
import { checkRules, compileRules } from '../../src/worker/handlers/csv/rules';

describe('parseStatement', () => {
  it('reads rows with their line numbers, across blank lines and quoted line breaks', () => {
    const text =
      '\uFEFFDate,Description,Amount\r\n2025-01-01,TESCO,-1.50\r\n\r\n2025-01-02,"Two\nlines",2\r\n2025-01-03,"A, B",-3';
    const { header, records } = parseStatement(text);
    expect(header).toEqual(['Date', 'Description', 'Amount']);
    expect(records.map((r) => (r.ok ? [r.line, r.cells[1], r.amountCents] : [r.line, r.reason]))).toEqual([
      [2, 'TESCO', -150],
      [4, 'Two\nlines', 200],
      [6, 'A, B', -300],
    ]);
  });

  it('a quote never closed costs only its own line: the rows after it are read', () => {
    const rows = Array.from(
      { length: 20 },
      (_, i) => `2025-01-${String(i + 1).padStart(2, '0')},SHOP ${i + 1},-${i + 1}.00`,
    );
    rows[4] = '2025-01-05,"SHOP 5,-5.00';
    const { records } = parseStatement(['Date,Description,Amount', ...rows].join('\n'));
    expect(records).toHaveLength(20);
    expect(records[4]).toEqual({
      ok: false,
      line: 6,
      reason: expect.stringMatching(/quote \("\) opened on this line is not closed/),
    });
    expect(records.filter((r) => r.ok).map((r) => r.line)).toEqual([
      2,
      3,
      4,
      5,
      ...Array.from({ length: 15 }, (_, i) => i + 7),
    ]);
    expect(records.filter((r) => r.ok).reduce((sum, r) => sum + (r.ok ? r.amountCents : 0), 0)).toBe(-(210 - 5) * 100);
  });

  it('a stray quote closed by another lines later costs only the two lines that hold them', () => {
    const text = [
      'Date,Description,Amount',
      '2025-01-01,"A,1.00',
      '2025-01-02,B,2.00',
      '2025-01-03,C,3.00',
      '2025-01-04,"D,4.00',
      '2025-01-05,E,5.00',
      '2025-01-06,"Two',
      'lines",6.00',
    ].join('\r\n');
    const { records } = parseStatement(text);
    expect(records.map((r) => (r.ok ? [r.line, r.cells[1]] : [r.line, 'unreadable']))).toEqual([
      [2, 'unreadable'],
      [3, 'B'],
      [4, 'C'],
      [5, 'unreadable'],
      [6, 'E'],
      [7, 'Two\r\nlines'],
    ]);
  });

  it('a NUL character past the start of the file makes only its row unreadable', () => {
    const filler = Array.from({ length: 2000 }, (_, i) => `2025-01-01,SHOP ${String(i).padStart(30, '0')},-1.00`);
    const text = ['Date,Description,Amount', ...filler, '2025-01-02,BAD\u0000ROW,-2.00', '2025-01-03,LAST,-3.00'].join(
      '\n',
    );
    expect(text.indexOf('\u0000')).toBeGreaterThan(64 * 1024);
    const { records } = parseStatement(text);
    expect(records).toHaveLength(2002);
    expect(records[2000]).toEqual({
      ok: false,
      line: 2002,
      reason: 'the line holds a NUL character, which text does not',
    });
    expect(records[2001]).toMatchObject({ ok: true, line: 2003, amountCents: -300 });
    expect(() => parseStatement(`Date,Description,Amount\n2025-01-01,A\u0000,-1`)).toThrow('not a text CSV');
  });

  it('reports bad rows by line and keeps going', () => {
    const text = [
      'Date,Description,Amount,Currency',
      '2025-01-01,A,1,GBP',
      '2025-01-02,B,n/a,GBP',
      '2025-01-03,C',
      '31/13/2025,D,1,GBP',
      '2025-01-05,E,5,gbp',
    ].join('\n');
    const { records } = parseStatement(text);
    expect(records.map((r) => (r.ok ? r.line : `${r.line}: ${r.reason}`))).toEqual([
      2,
      '3: "n/a" is not an amount',
      '4: expected 4 fields, found 2',
      '5: "31/13/2025" is not a date',
      6,
    ]);
    expect(records[4]).toMatchObject({ ok: true, currency: 'GBP' });
  });

  it.each([
    ['', /empty/],
    ['   \n\n', /empty/],
    ['Date,Description,Amount\n', /no rows/],
    ['{"jobs": [1, 2, 3]}', /needs the columns/],
    ['Date,Reference\n2025-01-01,x', /missing Description, Amount/],
    ['PK\u0003\u0004\u0000\u0000binary', /not a text CSV/],
  ])('refuses %j', (text, message) => {
    expect(() => parseStatement(text)).toThrow(message);
  });

  it('reads a statement delimited by semicolons with decimal commas, as European banks write them', () => {
    const text = [
      'Date;Description;Amount;Currency',
      '02.01.2025;Café Müller;-3,50;EUR',
      '03.01.2025;Gehalt;2.450,00;EUR',
      '04.01.2025;Miete;-1.200;EUR',
      '05.01.2025;Rückzahlung;12;EUR',
    ].join('\r\n');
    const statement = parseStatement(text);
    expect(statement).toMatchObject({ delimiter: ';', decimalMark: ',' });
    expect(statement.records.map((r) => (r.ok ? r.amountCents : r.reason))).toEqual([-350, 245000, -120000, 1200]);
  });

  it('finds decimal commas in a comma-delimited file from its quoted amounts', () => {
    const text = ['Date,Description,Amount', '2025-01-01,A,"-3,50"', '2025-01-02,B,"1.234,56"'].join('\n');
    const statement = parseStatement(text);
    expect(statement).toMatchObject({ delimiter: ',', decimalMark: ',' });
    expect(statement.records.map((r) => (r.ok ? r.amountCents : r.reason))).toEqual([-350, 123456]);
  });

  it('reads a tab-delimited statement and writes its rows back with tabs', () => {
    const statement = parseStatement(['Date\tDescription\tAmount', '2025-01-01\tA, B\t-3.50'].join('\n'));
    expect(statement).toMatchObject({ delimiter: '\t', decimalMark: '.' });
    const output = categorizeBatch(statement.records, [], 'Other', statement.delimiter);
    expect(outputHeader(statement.header, statement.delimiter) + output.csv).toBe(
      'Date\tDescription\tAmount\tCategory\r\n2025-01-01\tA, B\t-3.50\tOther\r\n',
    );
  });

  it('takes decimal points in a semicolon-delimited file whose amounts say so', () => {
    const statement = parseStatement(
      ['Date;Description;Amount', '2025-01-01;A;-3.50', '2025-01-02;B;1,234.56'].join('\n'),
    );
    expect(statement.decimalMark).toBe('.');
    expect(statement.records.map((r) => (r.ok ? r.amountCents : r.reason))).toEqual([-350, 123456]);
  });

  it("names the file's convention for an amount written the other way, and refuses it", () => {
    const text = [
      'Date;Description;Amount',
      '2025-01-01;A;-3,50',
      '2025-01-02;B;4,10',
      '2025-01-03;C;1,234.56',
      '2025-01-04;D;n/a',
    ].join('\n');
    const { records } = parseStatement(text);
    expect(records.map((r) => (r.ok ? r.amountCents : `${r.line}: ${r.reason}`))).toEqual([
      -350,
      410,
      '4: "1,234.56" is not an amount in this file, which writes amounts like -1.234,56',
      '5: "n/a" is not an amount',
    ]);
  });

  it('reads the month-first dates of a US statement, and names a day-first one in it', () => {
    const text = [
      'Date,Description,Amount',
      '12/31/2025,A,-3.50',
      '01/02/2026,B,1',
      '1/15/2026,C,2',
      '25/01/2026,D,3',
    ].join('\n');
    const statement = parseStatement(text);
    expect(statement.dateOrder).toBe('month-first');
    expect(statement.records.map((r) => (r.ok ? r.line : `${r.line}: ${r.reason}`))).toEqual([
      2,
      3,
      4,
      '5: "25/01/2026" is not a date in this file, which writes dates like 12/31/2025',
    ]);
  });

  it('finds the columns under other names banks give them, and rules read them by the usual names', () => {
    const text = [
      'Transaction Date,Post Date,Details,Category,Type,Transaction Amount,Memo',
      '12/30/2025,12/31/2025,TESCO STORES,Groceries,Sale,-3.50,',
      '01/02/2026,01/02/2026,Payroll,Income,Credit,"2,450.00",',
    ].join('\n');
    const statement = parseStatement(text);
    expect(statement.columns).toEqual({ date: 0, description: 2, amount: 5 });
    expect(statement.records.map((r) => (r.ok ? r.amountCents : r.reason))).toEqual([-350, 245000]);
    const rules = compileRules(
      checkRules([{ category: 'Food', match: 'substring', pattern: 'tesco' }]),
      statement.header,
    );
    expect(categorizeBatch(statement.records, rules, 'Other').categories.map((c) => c.category)).toEqual([
      'Food',
      'Other',
    ]);
    expect(parseStatement('Date,Description,Memo,Amount\n2025-01-01,A,B,1').columns.description).toBe(1);
    expect(() => parseStatement('When,What,Amount\n2025-01-01,A,1')).toThrow(/missing Date, Description/);
  });

  it('reads money out and money in columns as one signed amount when there is no Amount', () => {
    const text = [
      'Date,Description,Paid out,Paid in,Balance',
      '01/02/2025,TESCO,3.50,,96.50',
      '02/02/2025,Salary,,"2,450.00",2546.50',
      '03/02/2025,Refund and fee,1.00,5.00,2550.50',
      '04/02/2025,Nothing,,,2550.50',
      '05/02/2025,Broken,n/a,,2550.50',
    ].join('\n');
    const statement = parseStatement(text);
    expect(statement.columns).toMatchObject({ amount: -1, split: { debit: 2, credit: 3 } });
    expect(statement.records.map((r) => (r.ok ? r.amountCents : `${r.line}: ${r.reason}`))).toEqual([
      -350,
      245000,
      400,
      '5: neither money out nor money in is given',
      '6: "n/a" is not an amount',
    ]);
    expect(inspectStatementHead('Date;Description;Debit;Credit\n', false)).toEqual([
      'Date',
      'Description',
      'Debit',
      'Credit',
    ]);
  });

  it('takes a debit written negative as money out, and prefers an Amount column when there is one', () => {
    const split = parseStatement(
      ['Date;Description;Debit;Credit', '01.02.2025;A;-3,50;', '02.02.2025;B;;12,00'].join('\n'),
    );
    expect(split.records.map((r) => (r.ok ? r.amountCents : r.reason))).toEqual([-350, 1200]);
    const both = parseStatement(['Date,Description,Debit,Credit,Amount', '2025-01-01,A,9,,-1.25'].join('\n'));
    expect(both.columns.split).toBeUndefined();
    expect(both.records.map((r) => (r.ok ? r.amountCents : r.reason))).toEqual([-125]);
    expect(() => parseStatement('Date,Description,Debit\n2025-01-01,A,1')).toThrow(/missing Amount/);
  });

  it('checks a head the same way, without the whole file', () => {
    expect(inspectStatementHead('date , DESCRIPTION,amount\n2025-01-01,x,1', true)).toEqual([
      'date',
      'DESCRIPTION',
      'amount',
    ]);
    expect(() => inspectStatementHead('Date,Description,Amount\n', true)).toThrow(/no rows/);
    expect(() => inspectStatementHead('Date,Description,Amount\n', false)).not.toThrow();
  });
});

describe('categorizeBatch', () => {
  it('appends the category, totals in cents and lists unreadable rows', () => {
    const { header, records } = parseStatement(
      [
        'Date,Description,Amount',
        '2025-01-01,TESCO,-0.10',
        '2025-01-02,TESCO,-0.20',
        '2025-01-03,=cmd(),n/a',
        '2025-01-04,Salary,100',
      ].join('\n'),
    );
    const rules = compileRules(checkRules([{ category: 'Food', match: 'substring', pattern: 'tesco' }]), header);
    const output = categorizeBatch(records, rules, 'Other');
    expect(outputHeader(header) + output.csv).toBe(
      'Date,Description,Amount,Category\r\n2025-01-01,TESCO,-0.10,Food\r\n2025-01-02,TESCO,-0.20,Food\r\n2025-01-04,Salary,100,Other\r\n',
    );
    expect(output.categories).toEqual([
      { category: 'Food', currency: '', count: 2, totalCents: -30 },
      { category: 'Other', currency: '', count: 1, totalCents: 10000 },
    ]);
    expect(output.unreadable).toEqual([{ line: 4, reason: '"n/a" is not an amount' }]);
    expect(addTallies(output, output)).toMatchObject({
      unreadableCount: 2,
      categories: [{ count: 4, totalCents: -60 }, { count: 2 }],
    });
    expect(addTallies(EMPTY_TALLY, output).categories).toEqual(output.categories);
  });

  it("writes the rows with the statement's own delimiter", () => {
    const statement = parseStatement(['Date;Description;Amount', '02.01.2025;Bäcker, Ecke;-3,50'].join('\n'));
    const rules = compileRules(
      checkRules([{ category: 'Food', match: 'substring', pattern: 'bäcker' }]),
      statement.header,
    );
    const output = categorizeBatch(statement.records, rules, 'Other', statement.delimiter);
    expect(outputHeader(statement.header, statement.delimiter) + output.csv).toBe(
      'Date;Description;Amount;Category\r\n02.01.2025;Bäcker, Ecke;-3,50;Food\r\n',
    );
    expect(output.categories).toEqual([{ category: 'Food', currency: '', count: 1, totalCents: -350 }]);
  });
});
