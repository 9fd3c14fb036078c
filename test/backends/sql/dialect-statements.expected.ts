// The SQL each dialect's knex client emits, reviewed by hand: a change here is a change of the SQL
// Crosswalk sends. Filters: the WHERE clause and its bindings. Writes: every statement of the table
// path, in order, with per-run values shown as <now> / <new uuid> (see dialect-statements.cases.ts).
// Reads: every statement of each read shape (child tables as one JSON sub-select each; a page with an
// OFFSET pages its keys in a derived table and joins the main table to them).

export type Statement = readonly [sql: string, bindings: readonly unknown[]];

export const EXPECTED: Readonly<
  Record<
    string,
    {
      filters: Readonly<Record<string, Statement>>;
      writes: Readonly<Record<string, readonly Statement[]>>;
      reads: Readonly<Record<string, readonly Statement[]>>;
    }
  >
> = {
  mssql: {
    filters: {
      'userName eq "Bjensen"': ['[users].[user_name] = @p0', ['Bjensen']],
      'userName ne "x"': ['([users].[user_name] IS NULL OR [users].[user_name] <> @p0)', ['x']],
      'userName co "a%b_c!d[e"': ["[users].[user_name] LIKE @p0 ESCAPE '!'", ['%a!%b!_c!!d![e%']],
      'userName sw "J"': ["[users].[user_name] LIKE @p0 ESCAPE '!'", ['J%']],
      'userName ew "n"': ["[users].[user_name] LIKE @p0 ESCAPE '!'", ['%n']],
      'externalId eq "X"': ['[users].[external_id] COLLATE Latin1_General_CS_AS = @p0', ['X']],
      'externalId co "X"': [
        "[users].[external_id] COLLATE Latin1_General_CS_AS LIKE @p0 ESCAPE '!'",
        ['%X%'],
      ],
      'externalId sw "X"': ["[users].[external_id] COLLATE Latin1_General_CS_AS LIKE @p0 ESCAPE '!'", ['X%']],
      'externalId ew "X"': ["[users].[external_id] COLLATE Latin1_General_CS_AS LIKE @p0 ESCAPE '!'", ['%X']],
      'title pr': ['([users].[title] IS NOT NULL AND [users].[title] <> @p0)', ['']],
      'title gt "m"': ['[users].[title] > @p0', ['m']],
      'title ge "m"': ['[users].[title] >= @p0', ['m']],
      'title lt "m"': ['[users].[title] < @p0', ['m']],
      'title le "m"': ['[users].[title] <= @p0', ['m']],
      'active eq true': ['[users].[active] = @p0', [1]],
      'meta.lastModified gt "2011-05-13T04:42:34Z"': [
        '[users].[updated_at] > @p0',
        ['2011-05-13T04:42:34.000Z'],
      ],
      'title eq "a" and not (active eq false)': [
        '([users].[title] = @p0 AND ([users].[active] IS NULL OR [users].[active] <> @p1))',
        ['a', 0],
      ],
      'title eq "a" or title eq "b"': ['([users].[title] = @p0 OR [users].[title] = @p1)', ['a', 'b']],
      'not (userName co "x")': [
        "([users].[user_name] IS NULL OR NOT ([users].[user_name] LIKE @p0 ESCAPE '!'))",
        ['%x%'],
      ],
      'emails[type eq "work" and value co "@example.com"]': [
        "EXISTS (SELECT 1 FROM [user_emails] WHERE ([user_emails].[user_id] = [users].[id] AND ([user_emails].[kind] = @p0 AND [user_emails].[address] LIKE @p1 ESCAPE '!')))",
        ['work', '%@example.com%'],
      ],
      'emails pr': ['EXISTS (SELECT 1 FROM [user_emails] WHERE [user_emails].[user_id] = [users].[id])', []],
      'not (emails pr)': [
        'NOT EXISTS (SELECT 1 FROM [user_emails] WHERE [user_emails].[user_id] = [users].[id])',
        [],
      ],
      'members[value eq "11111111-1111-4111-8111-111111111111" and type eq "User"]': [
        'EXISTS (SELECT 1 FROM [group_members] WHERE ([group_members].[group_id] = [groups].[id] AND ([group_members].[member_id] COLLATE Latin1_General_CS_AS = @p0 AND [group_members].[member_type] = @p1)))',
        ['11111111-1111-4111-8111-111111111111', 'User'],
      ],
    },
    writes: {
      'create a user with an email and a manager': [
        ['select [id] from [users] where [id] in (@p0)', ['11111111-1111-4111-8111-111111111111']],
        [
          'insert into [users] ([active], [created_at], [department], [display_name], [employee_number], [external_id], [family_name], [formatted_name], [given_name], [id], [manager_id], [title], [updated_at], [user_name], [version]) values (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7, @p8, @p9, @p10, @p11, @p12, @p13, @p14)',
          [
            1,
            '<now>',
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            '<new uuid>',
            '11111111-1111-4111-8111-111111111111',
            null,
            '<now>',
            'bjensen',
            1,
          ],
        ],
        [
          'insert into [user_emails] ([address], [is_primary], [kind], [user_id]) values (@p0, @p1, @p2, @p3)',
          ['b@example.com', true, 'work', '<new uuid>'],
        ],
        [
          'select [users].[id], [users].[version], [users].[created_at], [users].[updated_at], [users].[user_name], [users].[external_id], [users].[active], [users].[display_name], [users].[given_name], [users].[family_name], [users].[formatted_name], [users].[title], [users].[employee_number], [users].[department], [users].[manager_id], (SELECT [user_emails].[address] AS [0], [user_emails].[kind] AS [1], [user_emails].[is_primary] AS [2] FROM [user_emails] WHERE [user_emails].[user_id] = [users].[id] ORDER BY [user_emails].[address], [user_emails].[kind], [user_emails].[is_primary] FOR JSON PATH) AS [emails_json], (SELECT [user_phones].[number] AS [0], [user_phones].[kind] AS [1], [user_phones].[is_primary] AS [2] FROM [user_phones] WHERE [user_phones].[user_id] = [users].[id] ORDER BY [user_phones].[number], [user_phones].[kind], [user_phones].[is_primary] FOR JSON PATH) AS [phoneNumbers_json] from [users] where [users].[id] = @p0',
          ['<new uuid>'],
        ],
      ],
      'create a group with a member': [
        [
          'insert into [groups] ([created_at], [display_name], [external_id], [id], [updated_at], [version]) values (@p0, @p1, @p2, @p3, @p4, @p5)',
          ['<now>', 'g', null, '<new uuid>', '<now>', 1],
        ],
        ['select [id] from [users] where [id] in (@p0)', ['33333333-3333-4333-8333-333333333333']],
        ['select [id] from [groups] where [id] in (@p0)', ['33333333-3333-4333-8333-333333333333']],
        [
          'insert into [group_members] ([group_id], [member_id], [member_type]) values (@p0, @p1, @p2)',
          ['<new uuid>', '33333333-3333-4333-8333-333333333333', 'Group'],
        ],
        [
          'select [groups].[id], [groups].[version], [groups].[created_at], [groups].[updated_at], [groups].[display_name], [groups].[external_id] from [groups] where [groups].[id] = @p0',
          ['<new uuid>'],
        ],
        [
          'select [group_id], [member_id], [member_type] from [group_members] where [group_id] in (@p0) order by [group_id] asc',
          ['22222222-2222-4222-8222-222222222222'],
        ],
      ],
      'replace a user (If-Match)': [
        [
          'select [id], [version] from [users] with (UPDLOCK) where [users].[id] = @p0',
          ['11111111-1111-4111-8111-111111111111'],
        ],
        [
          'update [users] set [user_name] = @p0, [external_id] = @p1, [active] = @p2, [display_name] = @p3, [given_name] = @p4, [family_name] = @p5, [formatted_name] = @p6, [title] = @p7, [employee_number] = @p8, [department] = @p9, [manager_id] = @p10, [updated_at] = @p11, [version] = [version] + 1 where [id] = @p12;select @@rowcount',
          [
            'bjensen',
            null,
            1,
            null,
            null,
            null,
            null,
            'T',
            null,
            null,
            null,
            '<now>',
            '11111111-1111-4111-8111-111111111111',
          ],
        ],
        [
          'delete from [user_emails] where [user_id] = @p0;select @@rowcount',
          ['11111111-1111-4111-8111-111111111111'],
        ],
        [
          'delete from [user_phones] where [user_id] = @p0;select @@rowcount',
          ['11111111-1111-4111-8111-111111111111'],
        ],
        [
          'select [users].[id], [users].[version], [users].[created_at], [users].[updated_at], [users].[user_name], [users].[external_id], [users].[active], [users].[display_name], [users].[given_name], [users].[family_name], [users].[formatted_name], [users].[title], [users].[employee_number], [users].[department], [users].[manager_id], (SELECT [user_emails].[address] AS [0], [user_emails].[kind] AS [1], [user_emails].[is_primary] AS [2] FROM [user_emails] WHERE [user_emails].[user_id] = [users].[id] ORDER BY [user_emails].[address], [user_emails].[kind], [user_emails].[is_primary] FOR JSON PATH) AS [emails_json], (SELECT [user_phones].[number] AS [0], [user_phones].[kind] AS [1], [user_phones].[is_primary] AS [2] FROM [user_phones] WHERE [user_phones].[user_id] = [users].[id] ORDER BY [user_phones].[number], [user_phones].[kind], [user_phones].[is_primary] FOR JSON PATH) AS [phoneNumbers_json] from [users] where [users].[id] = @p0',
          ['11111111-1111-4111-8111-111111111111'],
        ],
      ],
      'patch a user attribute': [
        [
          'select [id], [version] from [users] with (UPDLOCK) where [users].[id] = @p0',
          ['11111111-1111-4111-8111-111111111111'],
        ],
        [
          'select [users].[id], [users].[version], [users].[created_at], [users].[updated_at], [users].[user_name], [users].[external_id], [users].[active], [users].[display_name], [users].[given_name], [users].[family_name], [users].[formatted_name], [users].[title], [users].[employee_number], [users].[department], [users].[manager_id], (SELECT [user_emails].[address] AS [0], [user_emails].[kind] AS [1], [user_emails].[is_primary] AS [2] FROM [user_emails] WHERE [user_emails].[user_id] = [users].[id] ORDER BY [user_emails].[address], [user_emails].[kind], [user_emails].[is_primary] FOR JSON PATH) AS [emails_json], (SELECT [user_phones].[number] AS [0], [user_phones].[kind] AS [1], [user_phones].[is_primary] AS [2] FROM [user_phones] WHERE [user_phones].[user_id] = [users].[id] ORDER BY [user_phones].[number], [user_phones].[kind], [user_phones].[is_primary] FOR JSON PATH) AS [phoneNumbers_json] from [users] where [users].[id] = @p0',
          ['11111111-1111-4111-8111-111111111111'],
        ],
        [
          'update [users] set [title] = @p0, [updated_at] = @p1, [version] = [version] + 1 where [id] = @p2;select @@rowcount',
          ['T', '<now>', '11111111-1111-4111-8111-111111111111'],
        ],
        [
          'select [users].[id], [users].[version], [users].[created_at], [users].[updated_at], [users].[user_name], [users].[external_id], [users].[active], [users].[display_name], [users].[given_name], [users].[family_name], [users].[formatted_name], [users].[title], [users].[employee_number], [users].[department], [users].[manager_id], (SELECT [user_emails].[address] AS [0], [user_emails].[kind] AS [1], [user_emails].[is_primary] AS [2] FROM [user_emails] WHERE [user_emails].[user_id] = [users].[id] ORDER BY [user_emails].[address], [user_emails].[kind], [user_emails].[is_primary] FOR JSON PATH) AS [emails_json], (SELECT [user_phones].[number] AS [0], [user_phones].[kind] AS [1], [user_phones].[is_primary] AS [2] FROM [user_phones] WHERE [user_phones].[user_id] = [users].[id] ORDER BY [user_phones].[number], [user_phones].[kind], [user_phones].[is_primary] FOR JSON PATH) AS [phoneNumbers_json] from [users] where [users].[id] = @p0',
          ['11111111-1111-4111-8111-111111111111'],
        ],
      ],
      'patch: add a member': [
        [
          'select [id], [version] from [groups] with (UPDLOCK) where [groups].[id] = @p0',
          ['22222222-2222-4222-8222-222222222222'],
        ],
        [
          'select [member_id] from [group_members] where [group_id] = @p0 and [member_id] in (@p1)',
          ['22222222-2222-4222-8222-222222222222', '33333333-3333-4333-8333-333333333333'],
        ],
        ['select [id] from [users] where [id] in (@p0)', ['33333333-3333-4333-8333-333333333333']],
        ['select [id] from [groups] where [id] in (@p0)', ['33333333-3333-4333-8333-333333333333']],
        [
          'insert into [group_members] ([group_id], [member_id], [member_type]) values (@p0, @p1, @p2)',
          ['22222222-2222-4222-8222-222222222222', '33333333-3333-4333-8333-333333333333', 'Group'],
        ],
        [
          'update [groups] set [updated_at] = @p0, [version] = [version] + 1 where [id] = @p1;select @@rowcount',
          ['<now>', '22222222-2222-4222-8222-222222222222'],
        ],
        [
          'select [groups].[id], [groups].[version], [groups].[created_at], [groups].[updated_at], [groups].[display_name], [groups].[external_id] from [groups] where [groups].[id] = @p0',
          ['22222222-2222-4222-8222-222222222222'],
        ],
      ],
      'patch: remove a member': [
        [
          'select [id], [version] from [groups] with (UPDLOCK) where [groups].[id] = @p0',
          ['22222222-2222-4222-8222-222222222222'],
        ],
        [
          'delete from [group_members] where [group_id] = @p0 and [group_members].[member_id] COLLATE Latin1_General_CS_AS = @p1;select @@rowcount',
          ['22222222-2222-4222-8222-222222222222', '33333333-3333-4333-8333-333333333333'],
        ],
        [
          'update [groups] set [updated_at] = @p0, [version] = [version] + 1 where [id] = @p1;select @@rowcount',
          ['<now>', '22222222-2222-4222-8222-222222222222'],
        ],
        [
          'select [groups].[id], [groups].[version], [groups].[created_at], [groups].[updated_at], [groups].[display_name], [groups].[external_id] from [groups] where [groups].[id] = @p0',
          ['22222222-2222-4222-8222-222222222222'],
        ],
      ],
      'delete a user': [
        [
          'select [id], [version] from [users] with (UPDLOCK) where [users].[id] = @p0',
          ['11111111-1111-4111-8111-111111111111'],
        ],
        [
          'update [users] set [manager_id] = @p0 where [manager_id] = @p1;select @@rowcount',
          [null, '11111111-1111-4111-8111-111111111111'],
        ],
        [
          'delete from [group_members] where [member_id] = @p0 and [member_type] = @p1;select @@rowcount',
          ['11111111-1111-4111-8111-111111111111', 'User'],
        ],
        [
          'delete from [user_emails] where [user_id] = @p0;select @@rowcount',
          ['11111111-1111-4111-8111-111111111111'],
        ],
        [
          'delete from [user_phones] where [user_id] = @p0;select @@rowcount',
          ['11111111-1111-4111-8111-111111111111'],
        ],
        ['delete from [users] where [id] = @p0;select @@rowcount', ['11111111-1111-4111-8111-111111111111']],
      ],
    },
    reads: {
      'get a user': [
        [
          'select [users].[id], [users].[version], [users].[created_at], [users].[updated_at], [users].[user_name], [users].[external_id], [users].[active], [users].[display_name], [users].[given_name], [users].[family_name], [users].[formatted_name], [users].[title], [users].[employee_number], [users].[department], [users].[manager_id], (SELECT [user_emails].[address] AS [0], [user_emails].[kind] AS [1], [user_emails].[is_primary] AS [2] FROM [user_emails] WHERE [user_emails].[user_id] = [users].[id] ORDER BY [user_emails].[address], [user_emails].[kind], [user_emails].[is_primary] FOR JSON PATH) AS [emails_json], (SELECT [user_phones].[number] AS [0], [user_phones].[kind] AS [1], [user_phones].[is_primary] AS [2] FROM [user_phones] WHERE [user_phones].[user_id] = [users].[id] ORDER BY [user_phones].[number], [user_phones].[kind], [user_phones].[is_primary] FOR JSON PATH) AS [phoneNumbers_json] from [users] where [users].[id] = @p0',
          ['11111111-1111-4111-8111-111111111111'],
        ],
      ],
      'get a user without e-mails': [
        [
          'select [users].[id], [users].[version], [users].[created_at], [users].[updated_at], [users].[user_name], [users].[external_id], [users].[active], [users].[display_name], [users].[given_name], [users].[family_name], [users].[formatted_name], [users].[title], [users].[employee_number], [users].[department], [users].[manager_id], (SELECT [user_phones].[number] AS [0], [user_phones].[kind] AS [1], [user_phones].[is_primary] AS [2] FROM [user_phones] WHERE [user_phones].[user_id] = [users].[id] ORDER BY [user_phones].[number], [user_phones].[kind], [user_phones].[is_primary] FOR JSON PATH) AS [phoneNumbers_json] from [users] where [users].[id] = @p0',
          ['11111111-1111-4111-8111-111111111111'],
        ],
      ],
      'a page of users (userName eq, first page: no COUNT)': [
        [
          'select top (@p0) [users].[id], [users].[version], [users].[created_at], [users].[updated_at], [users].[user_name], [users].[external_id], [users].[active], [users].[display_name], [users].[given_name], [users].[family_name], [users].[formatted_name], [users].[title], [users].[employee_number], [users].[department], [users].[manager_id], (SELECT [user_emails].[address] AS [0], [user_emails].[kind] AS [1], [user_emails].[is_primary] AS [2] FROM [user_emails] WHERE [user_emails].[user_id] = [users].[id] ORDER BY [user_emails].[address], [user_emails].[kind], [user_emails].[is_primary] FOR JSON PATH) AS [emails_json], (SELECT [user_phones].[number] AS [0], [user_phones].[kind] AS [1], [user_phones].[is_primary] AS [2] FROM [user_phones] WHERE [user_phones].[user_id] = [users].[id] ORDER BY [user_phones].[number], [user_phones].[kind], [user_phones].[is_primary] FOR JSON PATH) AS [phoneNumbers_json] from [users] where [users].[user_name] = @p1 order by [users].[id] ASC',
          [100, 'bjensen'],
        ],
      ],
      'a deep page of users (startIndex 1501: keys paged first, then joined back)': [
        [
          'select [users].[id], [users].[version], [users].[created_at], [users].[updated_at], [users].[user_name], [users].[external_id], [users].[active], [users].[display_name], [users].[given_name], [users].[family_name], [users].[formatted_name], [users].[title], [users].[employee_number], [users].[department], [users].[manager_id], (SELECT [user_emails].[address] AS [0], [user_emails].[kind] AS [1], [user_emails].[is_primary] AS [2] FROM [user_emails] WHERE [user_emails].[user_id] = [users].[id] ORDER BY [user_emails].[address], [user_emails].[kind], [user_emails].[is_primary] FOR JSON PATH) AS [emails_json], (SELECT [user_phones].[number] AS [0], [user_phones].[kind] AS [1], [user_phones].[is_primary] AS [2] FROM [user_phones] WHERE [user_phones].[user_id] = [users].[id] ORDER BY [user_phones].[number], [user_phones].[kind], [user_phones].[is_primary] FOR JSON PATH) AS [phoneNumbers_json] from (select [users].[id] from [users] where (EXISTS (SELECT 1 FROM [user_emails] WHERE ([user_emails].[user_id] = [users].[id] AND [user_emails].[kind] = @p0)) AND ([users].[title] IS NOT NULL AND [users].[title] <> @p1)) order by CASE WHEN [users].[user_name] IS NULL THEN 1 ELSE 0 END, [users].[user_name] DESC, [users].[id] DESC offset @p2 rows fetch next @p3 rows only) as [page_keys] inner join [users] on [users].[id] = [page_keys].[id] order by CASE WHEN [users].[user_name] IS NULL THEN 1 ELSE 0 END, [users].[user_name] DESC, [users].[id] DESC',
          ['work', '', 1500, 100],
        ],
        [
          'select count(*) as [total] from [users] where (EXISTS (SELECT 1 FROM [user_emails] WHERE ([user_emails].[user_id] = [users].[id] AND [user_emails].[kind] = @p0)) AND ([users].[title] IS NOT NULL AND [users].[title] <> @p1))',
          ['work', ''],
        ],
      ],
      'get a group with its members': [
        [
          'select [groups].[id], [groups].[version], [groups].[created_at], [groups].[updated_at], [groups].[display_name], [groups].[external_id] from [groups] where [groups].[id] = @p0',
          ['22222222-2222-4222-8222-222222222222'],
        ],
        [
          'select [group_id], [member_id], [member_type] from [group_members] where [group_id] in (@p0) order by [group_id] asc',
          ['22222222-2222-4222-8222-222222222222'],
        ],
      ],
      'get a group, excludedAttributes=members': [
        [
          'select [groups].[id], [groups].[version], [groups].[created_at], [groups].[updated_at], [groups].[display_name], [groups].[external_id] from [groups] where [groups].[id] = @p0',
          ['22222222-2222-4222-8222-222222222222'],
        ],
      ],
    },
  },
  postgres: {
    filters: {
      'userName eq "Bjensen"': ['lower("users"."user_name") = lower($1)', ['Bjensen']],
      'userName ne "x"': ['("users"."user_name" IS NULL OR lower("users"."user_name") <> lower($1))', ['x']],
      'userName co "a%b_c!d[e"': [
        'lower("users"."user_name") LIKE lower($1) ESCAPE \'!\'',
        ['%a!%b!_c!!d[e%'],
      ],
      'userName sw "J"': ['lower("users"."user_name") LIKE lower($1) ESCAPE \'!\'', ['J%']],
      'userName ew "n"': ['lower("users"."user_name") LIKE lower($1) ESCAPE \'!\'', ['%n']],
      'externalId eq "X"': ['"users"."external_id" = $1', ['X']],
      'externalId co "X"': ['"users"."external_id" LIKE $1 ESCAPE \'!\'', ['%X%']],
      'externalId sw "X"': ['"users"."external_id" LIKE $1 ESCAPE \'!\'', ['X%']],
      'externalId ew "X"': ['"users"."external_id" LIKE $1 ESCAPE \'!\'', ['%X']],
      'title pr': ['("users"."title" IS NOT NULL AND "users"."title" <> $1)', ['']],
      'title gt "m"': ['lower("users"."title") > lower($1)', ['m']],
      'title ge "m"': ['lower("users"."title") >= lower($1)', ['m']],
      'title lt "m"': ['lower("users"."title") < lower($1)', ['m']],
      'title le "m"': ['lower("users"."title") <= lower($1)', ['m']],
      'active eq true': ['"users"."active" = $1', [1]],
      'meta.lastModified gt "2011-05-13T04:42:34Z"': [
        '"users"."updated_at" > $1',
        ['2011-05-13T04:42:34.000Z'],
      ],
      'title eq "a" and not (active eq false)': [
        '(lower("users"."title") = lower($1) AND ("users"."active" IS NULL OR "users"."active" <> $2))',
        ['a', 0],
      ],
      'title eq "a" or title eq "b"': [
        '(lower("users"."title") = lower($1) OR lower("users"."title") = lower($2))',
        ['a', 'b'],
      ],
      'not (userName co "x")': [
        '("users"."user_name" IS NULL OR NOT (lower("users"."user_name") LIKE lower($1) ESCAPE \'!\'))',
        ['%x%'],
      ],
      'emails[type eq "work" and value co "@example.com"]': [
        'EXISTS (SELECT 1 FROM "user_emails" WHERE ("user_emails"."user_id" = "users"."id" AND (lower("user_emails"."kind") = lower($1) AND lower("user_emails"."address") LIKE lower($2) ESCAPE \'!\')))',
        ['work', '%@example.com%'],
      ],
      'emails pr': ['EXISTS (SELECT 1 FROM "user_emails" WHERE "user_emails"."user_id" = "users"."id")', []],
      'not (emails pr)': [
        'NOT EXISTS (SELECT 1 FROM "user_emails" WHERE "user_emails"."user_id" = "users"."id")',
        [],
      ],
      'members[value eq "11111111-1111-4111-8111-111111111111" and type eq "User"]': [
        'EXISTS (SELECT 1 FROM "group_members" WHERE ("group_members"."group_id" = "groups"."id" AND ("group_members"."member_id" = $1 AND lower("group_members"."member_type") = lower($2))))',
        ['11111111-1111-4111-8111-111111111111', 'User'],
      ],
    },
    writes: {
      'create a user with an email and a manager': [
        ['select "id" from "users" where "id" in ($1)', ['11111111-1111-4111-8111-111111111111']],
        [
          'insert into "users" ("active", "created_at", "department", "display_name", "employee_number", "external_id", "family_name", "formatted_name", "given_name", "id", "manager_id", "title", "updated_at", "user_name", "version") values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)',
          [
            1,
            '<now>',
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            '<new uuid>',
            '11111111-1111-4111-8111-111111111111',
            null,
            '<now>',
            'bjensen',
            1,
          ],
        ],
        [
          'insert into "user_emails" ("address", "is_primary", "kind", "user_id") values ($1, $2, $3, $4)',
          ['b@example.com', true, 'work', '<new uuid>'],
        ],
        [
          'select "users"."id", "users"."version", "users"."created_at", "users"."updated_at", "users"."user_name", "users"."external_id", "users"."active", "users"."display_name", "users"."given_name", "users"."family_name", "users"."formatted_name", "users"."title", "users"."employee_number", "users"."department", "users"."manager_id", (SELECT json_agg(json_build_array("user_emails"."address", "user_emails"."kind", "user_emails"."is_primary") ORDER BY "user_emails"."address", "user_emails"."kind", "user_emails"."is_primary") FROM "user_emails" WHERE "user_emails"."user_id" = "users"."id") AS "emails_json", (SELECT json_agg(json_build_array("user_phones"."number", "user_phones"."kind", "user_phones"."is_primary") ORDER BY "user_phones"."number", "user_phones"."kind", "user_phones"."is_primary") FROM "user_phones" WHERE "user_phones"."user_id" = "users"."id") AS "phoneNumbers_json" from "users" where "users"."id" = $1',
          ['<new uuid>'],
        ],
      ],
      'create a group with a member': [
        [
          'insert into "groups" ("created_at", "display_name", "external_id", "id", "updated_at", "version") values ($1, $2, $3, $4, $5, $6)',
          ['<now>', 'g', null, '<new uuid>', '<now>', 1],
        ],
        ['select "id" from "users" where "id" in ($1)', ['33333333-3333-4333-8333-333333333333']],
        ['select "id" from "groups" where "id" in ($1)', ['33333333-3333-4333-8333-333333333333']],
        [
          'insert into "group_members" ("group_id", "member_id", "member_type") values ($1, $2, $3)',
          ['<new uuid>', '33333333-3333-4333-8333-333333333333', 'Group'],
        ],
        [
          'select "groups"."id", "groups"."version", "groups"."created_at", "groups"."updated_at", "groups"."display_name", "groups"."external_id" from "groups" where "groups"."id" = $1',
          ['<new uuid>'],
        ],
        [
          'select "group_id", "member_id", "member_type" from "group_members" where "group_id" in ($1) order by "group_id" asc',
          ['22222222-2222-4222-8222-222222222222'],
        ],
      ],
      'replace a user (If-Match)': [
        [
          'select "id", "version" from "users" where "users"."id" = $1 for update',
          ['11111111-1111-4111-8111-111111111111'],
        ],
        [
          'update "users" set "user_name" = $1, "external_id" = $2, "active" = $3, "display_name" = $4, "given_name" = $5, "family_name" = $6, "formatted_name" = $7, "title" = $8, "employee_number" = $9, "department" = $10, "manager_id" = $11, "updated_at" = $12, "version" = "version" + 1 where "id" = $13',
          [
            'bjensen',
            null,
            1,
            null,
            null,
            null,
            null,
            'T',
            null,
            null,
            null,
            '<now>',
            '11111111-1111-4111-8111-111111111111',
          ],
        ],
        ['delete from "user_emails" where "user_id" = $1', ['11111111-1111-4111-8111-111111111111']],
        ['delete from "user_phones" where "user_id" = $1', ['11111111-1111-4111-8111-111111111111']],
        [
          'select "users"."id", "users"."version", "users"."created_at", "users"."updated_at", "users"."user_name", "users"."external_id", "users"."active", "users"."display_name", "users"."given_name", "users"."family_name", "users"."formatted_name", "users"."title", "users"."employee_number", "users"."department", "users"."manager_id", (SELECT json_agg(json_build_array("user_emails"."address", "user_emails"."kind", "user_emails"."is_primary") ORDER BY "user_emails"."address", "user_emails"."kind", "user_emails"."is_primary") FROM "user_emails" WHERE "user_emails"."user_id" = "users"."id") AS "emails_json", (SELECT json_agg(json_build_array("user_phones"."number", "user_phones"."kind", "user_phones"."is_primary") ORDER BY "user_phones"."number", "user_phones"."kind", "user_phones"."is_primary") FROM "user_phones" WHERE "user_phones"."user_id" = "users"."id") AS "phoneNumbers_json" from "users" where "users"."id" = $1',
          ['11111111-1111-4111-8111-111111111111'],
        ],
      ],
      'patch a user attribute': [
        [
          'select "id", "version" from "users" where "users"."id" = $1 for update',
          ['11111111-1111-4111-8111-111111111111'],
        ],
        [
          'select "users"."id", "users"."version", "users"."created_at", "users"."updated_at", "users"."user_name", "users"."external_id", "users"."active", "users"."display_name", "users"."given_name", "users"."family_name", "users"."formatted_name", "users"."title", "users"."employee_number", "users"."department", "users"."manager_id", (SELECT json_agg(json_build_array("user_emails"."address", "user_emails"."kind", "user_emails"."is_primary") ORDER BY "user_emails"."address", "user_emails"."kind", "user_emails"."is_primary") FROM "user_emails" WHERE "user_emails"."user_id" = "users"."id") AS "emails_json", (SELECT json_agg(json_build_array("user_phones"."number", "user_phones"."kind", "user_phones"."is_primary") ORDER BY "user_phones"."number", "user_phones"."kind", "user_phones"."is_primary") FROM "user_phones" WHERE "user_phones"."user_id" = "users"."id") AS "phoneNumbers_json" from "users" where "users"."id" = $1',
          ['11111111-1111-4111-8111-111111111111'],
        ],
        [
          'update "users" set "title" = $1, "updated_at" = $2, "version" = "version" + 1 where "id" = $3',
          ['T', '<now>', '11111111-1111-4111-8111-111111111111'],
        ],
        [
          'select "users"."id", "users"."version", "users"."created_at", "users"."updated_at", "users"."user_name", "users"."external_id", "users"."active", "users"."display_name", "users"."given_name", "users"."family_name", "users"."formatted_name", "users"."title", "users"."employee_number", "users"."department", "users"."manager_id", (SELECT json_agg(json_build_array("user_emails"."address", "user_emails"."kind", "user_emails"."is_primary") ORDER BY "user_emails"."address", "user_emails"."kind", "user_emails"."is_primary") FROM "user_emails" WHERE "user_emails"."user_id" = "users"."id") AS "emails_json", (SELECT json_agg(json_build_array("user_phones"."number", "user_phones"."kind", "user_phones"."is_primary") ORDER BY "user_phones"."number", "user_phones"."kind", "user_phones"."is_primary") FROM "user_phones" WHERE "user_phones"."user_id" = "users"."id") AS "phoneNumbers_json" from "users" where "users"."id" = $1',
          ['11111111-1111-4111-8111-111111111111'],
        ],
      ],
      'patch: add a member': [
        [
          'select "id", "version" from "groups" where "groups"."id" = $1 for update',
          ['22222222-2222-4222-8222-222222222222'],
        ],
        [
          'select "member_id" from "group_members" where "group_id" = $1 and "member_id" in ($2)',
          ['22222222-2222-4222-8222-222222222222', '33333333-3333-4333-8333-333333333333'],
        ],
        ['select "id" from "users" where "id" in ($1)', ['33333333-3333-4333-8333-333333333333']],
        ['select "id" from "groups" where "id" in ($1)', ['33333333-3333-4333-8333-333333333333']],
        [
          'insert into "group_members" ("group_id", "member_id", "member_type") values ($1, $2, $3)',
          ['22222222-2222-4222-8222-222222222222', '33333333-3333-4333-8333-333333333333', 'Group'],
        ],
        [
          'update "groups" set "updated_at" = $1, "version" = "version" + 1 where "id" = $2',
          ['<now>', '22222222-2222-4222-8222-222222222222'],
        ],
        [
          'select "groups"."id", "groups"."version", "groups"."created_at", "groups"."updated_at", "groups"."display_name", "groups"."external_id" from "groups" where "groups"."id" = $1',
          ['22222222-2222-4222-8222-222222222222'],
        ],
      ],
      'patch: remove a member': [
        [
          'select "id", "version" from "groups" where "groups"."id" = $1 for update',
          ['22222222-2222-4222-8222-222222222222'],
        ],
        [
          'delete from "group_members" where "group_id" = $1 and "group_members"."member_id" = $2',
          ['22222222-2222-4222-8222-222222222222', '33333333-3333-4333-8333-333333333333'],
        ],
        [
          'update "groups" set "updated_at" = $1, "version" = "version" + 1 where "id" = $2',
          ['<now>', '22222222-2222-4222-8222-222222222222'],
        ],
        [
          'select "groups"."id", "groups"."version", "groups"."created_at", "groups"."updated_at", "groups"."display_name", "groups"."external_id" from "groups" where "groups"."id" = $1',
          ['22222222-2222-4222-8222-222222222222'],
        ],
      ],
      'delete a user': [
        [
          'select "id", "version" from "users" where "users"."id" = $1 for update',
          ['11111111-1111-4111-8111-111111111111'],
        ],
        [
          'update "users" set "manager_id" = $1 where "manager_id" = $2',
          [null, '11111111-1111-4111-8111-111111111111'],
        ],
        [
          'delete from "group_members" where "member_id" = $1 and "member_type" = $2',
          ['11111111-1111-4111-8111-111111111111', 'User'],
        ],
        ['delete from "user_emails" where "user_id" = $1', ['11111111-1111-4111-8111-111111111111']],
        ['delete from "user_phones" where "user_id" = $1', ['11111111-1111-4111-8111-111111111111']],
        ['delete from "users" where "id" = $1', ['11111111-1111-4111-8111-111111111111']],
      ],
    },
    reads: {
      'get a user': [
        [
          'select "users"."id", "users"."version", "users"."created_at", "users"."updated_at", "users"."user_name", "users"."external_id", "users"."active", "users"."display_name", "users"."given_name", "users"."family_name", "users"."formatted_name", "users"."title", "users"."employee_number", "users"."department", "users"."manager_id", (SELECT json_agg(json_build_array("user_emails"."address", "user_emails"."kind", "user_emails"."is_primary") ORDER BY "user_emails"."address", "user_emails"."kind", "user_emails"."is_primary") FROM "user_emails" WHERE "user_emails"."user_id" = "users"."id") AS "emails_json", (SELECT json_agg(json_build_array("user_phones"."number", "user_phones"."kind", "user_phones"."is_primary") ORDER BY "user_phones"."number", "user_phones"."kind", "user_phones"."is_primary") FROM "user_phones" WHERE "user_phones"."user_id" = "users"."id") AS "phoneNumbers_json" from "users" where "users"."id" = $1',
          ['11111111-1111-4111-8111-111111111111'],
        ],
      ],
      'get a user without e-mails': [
        [
          'select "users"."id", "users"."version", "users"."created_at", "users"."updated_at", "users"."user_name", "users"."external_id", "users"."active", "users"."display_name", "users"."given_name", "users"."family_name", "users"."formatted_name", "users"."title", "users"."employee_number", "users"."department", "users"."manager_id", (SELECT json_agg(json_build_array("user_phones"."number", "user_phones"."kind", "user_phones"."is_primary") ORDER BY "user_phones"."number", "user_phones"."kind", "user_phones"."is_primary") FROM "user_phones" WHERE "user_phones"."user_id" = "users"."id") AS "phoneNumbers_json" from "users" where "users"."id" = $1',
          ['11111111-1111-4111-8111-111111111111'],
        ],
      ],
      'a page of users (userName eq, first page: no COUNT)': [
        [
          'select "users"."id", "users"."version", "users"."created_at", "users"."updated_at", "users"."user_name", "users"."external_id", "users"."active", "users"."display_name", "users"."given_name", "users"."family_name", "users"."formatted_name", "users"."title", "users"."employee_number", "users"."department", "users"."manager_id", (SELECT json_agg(json_build_array("user_emails"."address", "user_emails"."kind", "user_emails"."is_primary") ORDER BY "user_emails"."address", "user_emails"."kind", "user_emails"."is_primary") FROM "user_emails" WHERE "user_emails"."user_id" = "users"."id") AS "emails_json", (SELECT json_agg(json_build_array("user_phones"."number", "user_phones"."kind", "user_phones"."is_primary") ORDER BY "user_phones"."number", "user_phones"."kind", "user_phones"."is_primary") FROM "user_phones" WHERE "user_phones"."user_id" = "users"."id") AS "phoneNumbers_json" from "users" where lower("users"."user_name") = lower($1) order by "users"."id" ASC limit $2',
          ['bjensen', 100],
        ],
      ],
      'a deep page of users (startIndex 1501: keys paged first, then joined back)': [
        [
          'select "users"."id", "users"."version", "users"."created_at", "users"."updated_at", "users"."user_name", "users"."external_id", "users"."active", "users"."display_name", "users"."given_name", "users"."family_name", "users"."formatted_name", "users"."title", "users"."employee_number", "users"."department", "users"."manager_id", (SELECT json_agg(json_build_array("user_emails"."address", "user_emails"."kind", "user_emails"."is_primary") ORDER BY "user_emails"."address", "user_emails"."kind", "user_emails"."is_primary") FROM "user_emails" WHERE "user_emails"."user_id" = "users"."id") AS "emails_json", (SELECT json_agg(json_build_array("user_phones"."number", "user_phones"."kind", "user_phones"."is_primary") ORDER BY "user_phones"."number", "user_phones"."kind", "user_phones"."is_primary") FROM "user_phones" WHERE "user_phones"."user_id" = "users"."id") AS "phoneNumbers_json" from (select "users"."id" from "users" where (EXISTS (SELECT 1 FROM "user_emails" WHERE ("user_emails"."user_id" = "users"."id" AND lower("user_emails"."kind") = lower($1))) AND ("users"."title" IS NOT NULL AND "users"."title" <> $2)) order by CASE WHEN "users"."user_name" IS NULL THEN 1 ELSE 0 END, lower("users"."user_name") DESC, "users"."id" DESC limit $3 offset $4) as "page_keys" inner join "users" on "users"."id" = "page_keys"."id" order by CASE WHEN "users"."user_name" IS NULL THEN 1 ELSE 0 END, lower("users"."user_name") DESC, "users"."id" DESC',
          ['work', '', 100, 1500],
        ],
        [
          'select count(*) as "total" from "users" where (EXISTS (SELECT 1 FROM "user_emails" WHERE ("user_emails"."user_id" = "users"."id" AND lower("user_emails"."kind") = lower($1))) AND ("users"."title" IS NOT NULL AND "users"."title" <> $2))',
          ['work', ''],
        ],
      ],
      'get a group with its members': [
        [
          'select "groups"."id", "groups"."version", "groups"."created_at", "groups"."updated_at", "groups"."display_name", "groups"."external_id" from "groups" where "groups"."id" = $1',
          ['22222222-2222-4222-8222-222222222222'],
        ],
        [
          'select "group_id", "member_id", "member_type" from "group_members" where "group_id" in ($1) order by "group_id" asc',
          ['22222222-2222-4222-8222-222222222222'],
        ],
      ],
      'get a group, excludedAttributes=members': [
        [
          'select "groups"."id", "groups"."version", "groups"."created_at", "groups"."updated_at", "groups"."display_name", "groups"."external_id" from "groups" where "groups"."id" = $1',
          ['22222222-2222-4222-8222-222222222222'],
        ],
      ],
    },
  },
  mysql: {
    filters: {
      'userName eq "Bjensen"': ['`users`.`user_name` = ?', ['Bjensen']],
      'userName ne "x"': ['(`users`.`user_name` IS NULL OR `users`.`user_name` <> ?)', ['x']],
      'userName co "a%b_c!d[e"': ["`users`.`user_name` LIKE ? ESCAPE '!'", ['%a!%b!_c!!d[e%']],
      'userName sw "J"': ["`users`.`user_name` LIKE ? ESCAPE '!'", ['J%']],
      'userName ew "n"': ["`users`.`user_name` LIKE ? ESCAPE '!'", ['%n']],
      'externalId eq "X"': [
        '(`users`.`external_id` = ? AND BINARY `users`.`external_id` = BINARY ?)',
        ['X', 'X'],
      ],
      'externalId co "X"': ["BINARY `users`.`external_id` LIKE BINARY ? ESCAPE '!'", ['%X%']],
      'externalId sw "X"': ["BINARY `users`.`external_id` LIKE BINARY ? ESCAPE '!'", ['X%']],
      'externalId ew "X"': ["BINARY `users`.`external_id` LIKE BINARY ? ESCAPE '!'", ['%X']],
      'title pr': ['(`users`.`title` IS NOT NULL AND `users`.`title` <> ?)', ['']],
      'title gt "m"': ['`users`.`title` > ?', ['m']],
      'title ge "m"': ['`users`.`title` >= ?', ['m']],
      'title lt "m"': ['`users`.`title` < ?', ['m']],
      'title le "m"': ['`users`.`title` <= ?', ['m']],
      'active eq true': ['`users`.`active` = ?', [1]],
      'meta.lastModified gt "2011-05-13T04:42:34Z"': [
        '`users`.`updated_at` > ?',
        ['2011-05-13 04:42:34.000'],
      ],
      'title eq "a" and not (active eq false)': [
        '(`users`.`title` = ? AND (`users`.`active` IS NULL OR `users`.`active` <> ?))',
        ['a', 0],
      ],
      'title eq "a" or title eq "b"': ['(`users`.`title` = ? OR `users`.`title` = ?)', ['a', 'b']],
      'not (userName co "x")': [
        "(`users`.`user_name` IS NULL OR NOT (`users`.`user_name` LIKE ? ESCAPE '!'))",
        ['%x%'],
      ],
      'emails[type eq "work" and value co "@example.com"]': [
        "EXISTS (SELECT 1 FROM `user_emails` WHERE (`user_emails`.`user_id` = `users`.`id` AND (`user_emails`.`kind` = ? AND `user_emails`.`address` LIKE ? ESCAPE '!')))",
        ['work', '%@example.com%'],
      ],
      'emails pr': ['EXISTS (SELECT 1 FROM `user_emails` WHERE `user_emails`.`user_id` = `users`.`id`)', []],
      'not (emails pr)': [
        'NOT EXISTS (SELECT 1 FROM `user_emails` WHERE `user_emails`.`user_id` = `users`.`id`)',
        [],
      ],
      'members[value eq "11111111-1111-4111-8111-111111111111" and type eq "User"]': [
        'EXISTS (SELECT 1 FROM `group_members` WHERE (`group_members`.`group_id` = `groups`.`id` AND ((`group_members`.`member_id` = ? AND BINARY `group_members`.`member_id` = BINARY ?) AND `group_members`.`member_type` = ?)))',
        ['11111111-1111-4111-8111-111111111111', '11111111-1111-4111-8111-111111111111', 'User'],
      ],
    },
    writes: {
      'create a user with an email and a manager': [
        ['select `id` from `users` where `id` in (?)', ['11111111-1111-4111-8111-111111111111']],
        [
          'insert into `users` (`active`, `created_at`, `department`, `display_name`, `employee_number`, `external_id`, `family_name`, `formatted_name`, `given_name`, `id`, `manager_id`, `title`, `updated_at`, `user_name`, `version`) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
          [
            1,
            '<now>',
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            '<new uuid>',
            '11111111-1111-4111-8111-111111111111',
            null,
            '<now>',
            'bjensen',
            1,
          ],
        ],
        [
          'insert into `user_emails` (`address`, `is_primary`, `kind`, `user_id`) values (?, ?, ?, ?)',
          ['b@example.com', true, 'work', '<new uuid>'],
        ],
        [
          "select `users`.`id`, `users`.`version`, `users`.`created_at`, `users`.`updated_at`, `users`.`user_name`, `users`.`external_id`, `users`.`active`, `users`.`display_name`, `users`.`given_name`, `users`.`family_name`, `users`.`formatted_name`, `users`.`title`, `users`.`employee_number`, `users`.`department`, `users`.`manager_id`, (SELECT CONCAT('[', GROUP_CONCAT(JSON_ARRAY(`user_emails`.`address`, `user_emails`.`kind`, `user_emails`.`is_primary`) ORDER BY `user_emails`.`address`, `user_emails`.`kind`, `user_emails`.`is_primary` SEPARATOR ','), ']') FROM `user_emails` WHERE `user_emails`.`user_id` = `users`.`id`) AS `emails_json`, (SELECT CONCAT('[', GROUP_CONCAT(JSON_ARRAY(`user_phones`.`number`, `user_phones`.`kind`, `user_phones`.`is_primary`) ORDER BY `user_phones`.`number`, `user_phones`.`kind`, `user_phones`.`is_primary` SEPARATOR ','), ']') FROM `user_phones` WHERE `user_phones`.`user_id` = `users`.`id`) AS `phoneNumbers_json` from `users` where `users`.`id` = ?",
          ['<new uuid>'],
        ],
      ],
      'create a group with a member': [
        [
          'insert into `groups` (`created_at`, `display_name`, `external_id`, `id`, `updated_at`, `version`) values (?, ?, ?, ?, ?, ?)',
          ['<now>', 'g', null, '<new uuid>', '<now>', 1],
        ],
        ['select `id` from `users` where `id` in (?)', ['33333333-3333-4333-8333-333333333333']],
        ['select `id` from `groups` where `id` in (?)', ['33333333-3333-4333-8333-333333333333']],
        [
          'insert into `group_members` (`group_id`, `member_id`, `member_type`) values (?, ?, ?)',
          ['<new uuid>', '33333333-3333-4333-8333-333333333333', 'Group'],
        ],
        [
          'select `groups`.`id`, `groups`.`version`, `groups`.`created_at`, `groups`.`updated_at`, `groups`.`display_name`, `groups`.`external_id` from `groups` where `groups`.`id` = ?',
          ['<new uuid>'],
        ],
        [
          'select `group_id`, `member_id`, `member_type` from `group_members` where `group_id` in (?) order by `group_id` asc',
          ['22222222-2222-4222-8222-222222222222'],
        ],
      ],
      'replace a user (If-Match)': [
        [
          'select `id`, `version` from `users` where `users`.`id` = ? for update',
          ['11111111-1111-4111-8111-111111111111'],
        ],
        [
          'update `users` set `user_name` = ?, `external_id` = ?, `active` = ?, `display_name` = ?, `given_name` = ?, `family_name` = ?, `formatted_name` = ?, `title` = ?, `employee_number` = ?, `department` = ?, `manager_id` = ?, `updated_at` = ?, `version` = `version` + 1 where `id` = ?',
          [
            'bjensen',
            null,
            1,
            null,
            null,
            null,
            null,
            'T',
            null,
            null,
            null,
            '<now>',
            '11111111-1111-4111-8111-111111111111',
          ],
        ],
        ['delete from `user_emails` where `user_id` = ?', ['11111111-1111-4111-8111-111111111111']],
        ['delete from `user_phones` where `user_id` = ?', ['11111111-1111-4111-8111-111111111111']],
        [
          "select `users`.`id`, `users`.`version`, `users`.`created_at`, `users`.`updated_at`, `users`.`user_name`, `users`.`external_id`, `users`.`active`, `users`.`display_name`, `users`.`given_name`, `users`.`family_name`, `users`.`formatted_name`, `users`.`title`, `users`.`employee_number`, `users`.`department`, `users`.`manager_id`, (SELECT CONCAT('[', GROUP_CONCAT(JSON_ARRAY(`user_emails`.`address`, `user_emails`.`kind`, `user_emails`.`is_primary`) ORDER BY `user_emails`.`address`, `user_emails`.`kind`, `user_emails`.`is_primary` SEPARATOR ','), ']') FROM `user_emails` WHERE `user_emails`.`user_id` = `users`.`id`) AS `emails_json`, (SELECT CONCAT('[', GROUP_CONCAT(JSON_ARRAY(`user_phones`.`number`, `user_phones`.`kind`, `user_phones`.`is_primary`) ORDER BY `user_phones`.`number`, `user_phones`.`kind`, `user_phones`.`is_primary` SEPARATOR ','), ']') FROM `user_phones` WHERE `user_phones`.`user_id` = `users`.`id`) AS `phoneNumbers_json` from `users` where `users`.`id` = ?",
          ['11111111-1111-4111-8111-111111111111'],
        ],
      ],
      'patch a user attribute': [
        [
          'select `id`, `version` from `users` where `users`.`id` = ? for update',
          ['11111111-1111-4111-8111-111111111111'],
        ],
        [
          "select `users`.`id`, `users`.`version`, `users`.`created_at`, `users`.`updated_at`, `users`.`user_name`, `users`.`external_id`, `users`.`active`, `users`.`display_name`, `users`.`given_name`, `users`.`family_name`, `users`.`formatted_name`, `users`.`title`, `users`.`employee_number`, `users`.`department`, `users`.`manager_id`, (SELECT CONCAT('[', GROUP_CONCAT(JSON_ARRAY(`user_emails`.`address`, `user_emails`.`kind`, `user_emails`.`is_primary`) ORDER BY `user_emails`.`address`, `user_emails`.`kind`, `user_emails`.`is_primary` SEPARATOR ','), ']') FROM `user_emails` WHERE `user_emails`.`user_id` = `users`.`id`) AS `emails_json`, (SELECT CONCAT('[', GROUP_CONCAT(JSON_ARRAY(`user_phones`.`number`, `user_phones`.`kind`, `user_phones`.`is_primary`) ORDER BY `user_phones`.`number`, `user_phones`.`kind`, `user_phones`.`is_primary` SEPARATOR ','), ']') FROM `user_phones` WHERE `user_phones`.`user_id` = `users`.`id`) AS `phoneNumbers_json` from `users` where `users`.`id` = ?",
          ['11111111-1111-4111-8111-111111111111'],
        ],
        [
          'update `users` set `title` = ?, `updated_at` = ?, `version` = `version` + 1 where `id` = ?',
          ['T', '<now>', '11111111-1111-4111-8111-111111111111'],
        ],
        [
          "select `users`.`id`, `users`.`version`, `users`.`created_at`, `users`.`updated_at`, `users`.`user_name`, `users`.`external_id`, `users`.`active`, `users`.`display_name`, `users`.`given_name`, `users`.`family_name`, `users`.`formatted_name`, `users`.`title`, `users`.`employee_number`, `users`.`department`, `users`.`manager_id`, (SELECT CONCAT('[', GROUP_CONCAT(JSON_ARRAY(`user_emails`.`address`, `user_emails`.`kind`, `user_emails`.`is_primary`) ORDER BY `user_emails`.`address`, `user_emails`.`kind`, `user_emails`.`is_primary` SEPARATOR ','), ']') FROM `user_emails` WHERE `user_emails`.`user_id` = `users`.`id`) AS `emails_json`, (SELECT CONCAT('[', GROUP_CONCAT(JSON_ARRAY(`user_phones`.`number`, `user_phones`.`kind`, `user_phones`.`is_primary`) ORDER BY `user_phones`.`number`, `user_phones`.`kind`, `user_phones`.`is_primary` SEPARATOR ','), ']') FROM `user_phones` WHERE `user_phones`.`user_id` = `users`.`id`) AS `phoneNumbers_json` from `users` where `users`.`id` = ?",
          ['11111111-1111-4111-8111-111111111111'],
        ],
      ],
      'patch: add a member': [
        [
          'select `id`, `version` from `groups` where `groups`.`id` = ? for update',
          ['22222222-2222-4222-8222-222222222222'],
        ],
        [
          'select `member_id` from `group_members` where `group_id` = ? and `member_id` in (?)',
          ['22222222-2222-4222-8222-222222222222', '33333333-3333-4333-8333-333333333333'],
        ],
        ['select `id` from `users` where `id` in (?)', ['33333333-3333-4333-8333-333333333333']],
        ['select `id` from `groups` where `id` in (?)', ['33333333-3333-4333-8333-333333333333']],
        [
          'insert into `group_members` (`group_id`, `member_id`, `member_type`) values (?, ?, ?)',
          ['22222222-2222-4222-8222-222222222222', '33333333-3333-4333-8333-333333333333', 'Group'],
        ],
        [
          'update `groups` set `updated_at` = ?, `version` = `version` + 1 where `id` = ?',
          ['<now>', '22222222-2222-4222-8222-222222222222'],
        ],
        [
          'select `groups`.`id`, `groups`.`version`, `groups`.`created_at`, `groups`.`updated_at`, `groups`.`display_name`, `groups`.`external_id` from `groups` where `groups`.`id` = ?',
          ['22222222-2222-4222-8222-222222222222'],
        ],
      ],
      'patch: remove a member': [
        [
          'select `id`, `version` from `groups` where `groups`.`id` = ? for update',
          ['22222222-2222-4222-8222-222222222222'],
        ],
        [
          'delete from `group_members` where `group_id` = ? and (`group_members`.`member_id` = ? AND BINARY `group_members`.`member_id` = BINARY ?)',
          [
            '22222222-2222-4222-8222-222222222222',
            '33333333-3333-4333-8333-333333333333',
            '33333333-3333-4333-8333-333333333333',
          ],
        ],
        [
          'update `groups` set `updated_at` = ?, `version` = `version` + 1 where `id` = ?',
          ['<now>', '22222222-2222-4222-8222-222222222222'],
        ],
        [
          'select `groups`.`id`, `groups`.`version`, `groups`.`created_at`, `groups`.`updated_at`, `groups`.`display_name`, `groups`.`external_id` from `groups` where `groups`.`id` = ?',
          ['22222222-2222-4222-8222-222222222222'],
        ],
      ],
      'delete a user': [
        [
          'select `id`, `version` from `users` where `users`.`id` = ? for update',
          ['11111111-1111-4111-8111-111111111111'],
        ],
        [
          'update `users` set `manager_id` = ? where `manager_id` = ?',
          [null, '11111111-1111-4111-8111-111111111111'],
        ],
        [
          'delete from `group_members` where `member_id` = ? and `member_type` = ?',
          ['11111111-1111-4111-8111-111111111111', 'User'],
        ],
        ['delete from `user_emails` where `user_id` = ?', ['11111111-1111-4111-8111-111111111111']],
        ['delete from `user_phones` where `user_id` = ?', ['11111111-1111-4111-8111-111111111111']],
        ['delete from `users` where `id` = ?', ['11111111-1111-4111-8111-111111111111']],
      ],
    },
    reads: {
      'get a user': [
        [
          "select `users`.`id`, `users`.`version`, `users`.`created_at`, `users`.`updated_at`, `users`.`user_name`, `users`.`external_id`, `users`.`active`, `users`.`display_name`, `users`.`given_name`, `users`.`family_name`, `users`.`formatted_name`, `users`.`title`, `users`.`employee_number`, `users`.`department`, `users`.`manager_id`, (SELECT CONCAT('[', GROUP_CONCAT(JSON_ARRAY(`user_emails`.`address`, `user_emails`.`kind`, `user_emails`.`is_primary`) ORDER BY `user_emails`.`address`, `user_emails`.`kind`, `user_emails`.`is_primary` SEPARATOR ','), ']') FROM `user_emails` WHERE `user_emails`.`user_id` = `users`.`id`) AS `emails_json`, (SELECT CONCAT('[', GROUP_CONCAT(JSON_ARRAY(`user_phones`.`number`, `user_phones`.`kind`, `user_phones`.`is_primary`) ORDER BY `user_phones`.`number`, `user_phones`.`kind`, `user_phones`.`is_primary` SEPARATOR ','), ']') FROM `user_phones` WHERE `user_phones`.`user_id` = `users`.`id`) AS `phoneNumbers_json` from `users` where `users`.`id` = ?",
          ['11111111-1111-4111-8111-111111111111'],
        ],
      ],
      'get a user without e-mails': [
        [
          "select `users`.`id`, `users`.`version`, `users`.`created_at`, `users`.`updated_at`, `users`.`user_name`, `users`.`external_id`, `users`.`active`, `users`.`display_name`, `users`.`given_name`, `users`.`family_name`, `users`.`formatted_name`, `users`.`title`, `users`.`employee_number`, `users`.`department`, `users`.`manager_id`, (SELECT CONCAT('[', GROUP_CONCAT(JSON_ARRAY(`user_phones`.`number`, `user_phones`.`kind`, `user_phones`.`is_primary`) ORDER BY `user_phones`.`number`, `user_phones`.`kind`, `user_phones`.`is_primary` SEPARATOR ','), ']') FROM `user_phones` WHERE `user_phones`.`user_id` = `users`.`id`) AS `phoneNumbers_json` from `users` where `users`.`id` = ?",
          ['11111111-1111-4111-8111-111111111111'],
        ],
      ],
      'a page of users (userName eq, first page: no COUNT)': [
        [
          "select `users`.`id`, `users`.`version`, `users`.`created_at`, `users`.`updated_at`, `users`.`user_name`, `users`.`external_id`, `users`.`active`, `users`.`display_name`, `users`.`given_name`, `users`.`family_name`, `users`.`formatted_name`, `users`.`title`, `users`.`employee_number`, `users`.`department`, `users`.`manager_id`, (SELECT CONCAT('[', GROUP_CONCAT(JSON_ARRAY(`user_emails`.`address`, `user_emails`.`kind`, `user_emails`.`is_primary`) ORDER BY `user_emails`.`address`, `user_emails`.`kind`, `user_emails`.`is_primary` SEPARATOR ','), ']') FROM `user_emails` WHERE `user_emails`.`user_id` = `users`.`id`) AS `emails_json`, (SELECT CONCAT('[', GROUP_CONCAT(JSON_ARRAY(`user_phones`.`number`, `user_phones`.`kind`, `user_phones`.`is_primary`) ORDER BY `user_phones`.`number`, `user_phones`.`kind`, `user_phones`.`is_primary` SEPARATOR ','), ']') FROM `user_phones` WHERE `user_phones`.`user_id` = `users`.`id`) AS `phoneNumbers_json` from `users` where `users`.`user_name` = ? order by `users`.`id` ASC limit ?",
          ['bjensen', 100],
        ],
      ],
      'a deep page of users (startIndex 1501: keys paged first, then joined back)': [
        [
          "select `users`.`id`, `users`.`version`, `users`.`created_at`, `users`.`updated_at`, `users`.`user_name`, `users`.`external_id`, `users`.`active`, `users`.`display_name`, `users`.`given_name`, `users`.`family_name`, `users`.`formatted_name`, `users`.`title`, `users`.`employee_number`, `users`.`department`, `users`.`manager_id`, (SELECT CONCAT('[', GROUP_CONCAT(JSON_ARRAY(`user_emails`.`address`, `user_emails`.`kind`, `user_emails`.`is_primary`) ORDER BY `user_emails`.`address`, `user_emails`.`kind`, `user_emails`.`is_primary` SEPARATOR ','), ']') FROM `user_emails` WHERE `user_emails`.`user_id` = `users`.`id`) AS `emails_json`, (SELECT CONCAT('[', GROUP_CONCAT(JSON_ARRAY(`user_phones`.`number`, `user_phones`.`kind`, `user_phones`.`is_primary`) ORDER BY `user_phones`.`number`, `user_phones`.`kind`, `user_phones`.`is_primary` SEPARATOR ','), ']') FROM `user_phones` WHERE `user_phones`.`user_id` = `users`.`id`) AS `phoneNumbers_json` from (select `users`.`id` from `users` where (EXISTS (SELECT 1 FROM `user_emails` WHERE (`user_emails`.`user_id` = `users`.`id` AND `user_emails`.`kind` = ?)) AND (`users`.`title` IS NOT NULL AND `users`.`title` <> ?)) order by CASE WHEN `users`.`user_name` IS NULL THEN 1 ELSE 0 END, `users`.`user_name` DESC, `users`.`id` DESC limit ? offset ?) as `page_keys` inner join `users` on `users`.`id` = `page_keys`.`id` order by CASE WHEN `users`.`user_name` IS NULL THEN 1 ELSE 0 END, `users`.`user_name` DESC, `users`.`id` DESC",
          ['work', '', 100, 1500],
        ],
        [
          'select count(*) as `total` from `users` where (EXISTS (SELECT 1 FROM `user_emails` WHERE (`user_emails`.`user_id` = `users`.`id` AND `user_emails`.`kind` = ?)) AND (`users`.`title` IS NOT NULL AND `users`.`title` <> ?))',
          ['work', ''],
        ],
      ],
      'get a group with its members': [
        [
          'select `groups`.`id`, `groups`.`version`, `groups`.`created_at`, `groups`.`updated_at`, `groups`.`display_name`, `groups`.`external_id` from `groups` where `groups`.`id` = ?',
          ['22222222-2222-4222-8222-222222222222'],
        ],
        [
          'select `group_id`, `member_id`, `member_type` from `group_members` where `group_id` in (?) order by `group_id` asc',
          ['22222222-2222-4222-8222-222222222222'],
        ],
      ],
      'get a group, excludedAttributes=members': [
        [
          'select `groups`.`id`, `groups`.`version`, `groups`.`created_at`, `groups`.`updated_at`, `groups`.`display_name`, `groups`.`external_id` from `groups` where `groups`.`id` = ?',
          ['22222222-2222-4222-8222-222222222222'],
        ],
      ],
    },
  },
  sqlite: {
    filters: {
      'userName eq "Bjensen"': ['`users`.`user_name` COLLATE NOCASE = ?', ['Bjensen']],
      'userName ne "x"': ['(`users`.`user_name` IS NULL OR `users`.`user_name` COLLATE NOCASE <> ?)', ['x']],
      'userName co "a%b_c!d[e"': ["`users`.`user_name` COLLATE NOCASE LIKE ? ESCAPE '!'", ['%a!%b!_c!!d[e%']],
      'userName sw "J"': ["`users`.`user_name` COLLATE NOCASE LIKE ? ESCAPE '!'", ['J%']],
      'userName ew "n"': ["`users`.`user_name` COLLATE NOCASE LIKE ? ESCAPE '!'", ['%n']],
      'externalId eq "X"': ['`users`.`external_id` = ?', ['X']],
      'externalId co "X"': ['instr(`users`.`external_id`, ?) > 0', ['X']],
      'externalId sw "X"': ['instr(`users`.`external_id`, ?) = 1', ['X']],
      'externalId ew "X"': [
        'substr(`users`.`external_id`, length(`users`.`external_id`) - length(?) + 1) = ?',
        ['X', 'X'],
      ],
      'title pr': ['(`users`.`title` IS NOT NULL AND `users`.`title` <> ?)', ['']],
      'title gt "m"': ['`users`.`title` COLLATE NOCASE > ?', ['m']],
      'title ge "m"': ['`users`.`title` COLLATE NOCASE >= ?', ['m']],
      'title lt "m"': ['`users`.`title` COLLATE NOCASE < ?', ['m']],
      'title le "m"': ['`users`.`title` COLLATE NOCASE <= ?', ['m']],
      'active eq true': ['`users`.`active` = ?', [1]],
      'meta.lastModified gt "2011-05-13T04:42:34Z"': [
        '`users`.`updated_at` > ?',
        ['2011-05-13T04:42:34.000Z'],
      ],
      'title eq "a" and not (active eq false)': [
        '(`users`.`title` COLLATE NOCASE = ? AND (`users`.`active` IS NULL OR `users`.`active` <> ?))',
        ['a', 0],
      ],
      'title eq "a" or title eq "b"': [
        '(`users`.`title` COLLATE NOCASE = ? OR `users`.`title` COLLATE NOCASE = ?)',
        ['a', 'b'],
      ],
      'not (userName co "x")': [
        "(`users`.`user_name` IS NULL OR NOT (`users`.`user_name` COLLATE NOCASE LIKE ? ESCAPE '!'))",
        ['%x%'],
      ],
      'emails[type eq "work" and value co "@example.com"]': [
        "EXISTS (SELECT 1 FROM `user_emails` WHERE (`user_emails`.`user_id` = `users`.`id` AND (`user_emails`.`kind` COLLATE NOCASE = ? AND `user_emails`.`address` COLLATE NOCASE LIKE ? ESCAPE '!')))",
        ['work', '%@example.com%'],
      ],
      'emails pr': ['EXISTS (SELECT 1 FROM `user_emails` WHERE `user_emails`.`user_id` = `users`.`id`)', []],
      'not (emails pr)': [
        'NOT EXISTS (SELECT 1 FROM `user_emails` WHERE `user_emails`.`user_id` = `users`.`id`)',
        [],
      ],
      'members[value eq "11111111-1111-4111-8111-111111111111" and type eq "User"]': [
        'EXISTS (SELECT 1 FROM `group_members` WHERE (`group_members`.`group_id` = `groups`.`id` AND (`group_members`.`member_id` = ? AND `group_members`.`member_type` COLLATE NOCASE = ?)))',
        ['11111111-1111-4111-8111-111111111111', 'User'],
      ],
    },
    writes: {
      'create a user with an email and a manager': [
        ['select `id` from `users` where `id` in (?)', ['11111111-1111-4111-8111-111111111111']],
        [
          'insert into `users` (`active`, `created_at`, `department`, `display_name`, `employee_number`, `external_id`, `family_name`, `formatted_name`, `given_name`, `id`, `manager_id`, `title`, `updated_at`, `user_name`, `version`) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
          [
            1,
            '<now>',
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            '<new uuid>',
            '11111111-1111-4111-8111-111111111111',
            null,
            '<now>',
            'bjensen',
            1,
          ],
        ],
        [
          'insert into `user_emails` (`address`, `is_primary`, `kind`, `user_id`) values (?, ?, ?, ?)',
          ['b@example.com', true, 'work', '<new uuid>'],
        ],
        [
          'select `users`.`id`, `users`.`version`, `users`.`created_at`, `users`.`updated_at`, `users`.`user_name`, `users`.`external_id`, `users`.`active`, `users`.`display_name`, `users`.`given_name`, `users`.`family_name`, `users`.`formatted_name`, `users`.`title`, `users`.`employee_number`, `users`.`department`, `users`.`manager_id`, (SELECT json_group_array(json_array(`user_emails`.`address`, `user_emails`.`kind`, `user_emails`.`is_primary`) ORDER BY `user_emails`.`address`, `user_emails`.`kind`, `user_emails`.`is_primary`) FROM `user_emails` WHERE `user_emails`.`user_id` = `users`.`id`) AS `emails_json`, (SELECT json_group_array(json_array(`user_phones`.`number`, `user_phones`.`kind`, `user_phones`.`is_primary`) ORDER BY `user_phones`.`number`, `user_phones`.`kind`, `user_phones`.`is_primary`) FROM `user_phones` WHERE `user_phones`.`user_id` = `users`.`id`) AS `phoneNumbers_json` from `users` where `users`.`id` = ?',
          ['<new uuid>'],
        ],
      ],
      'create a group with a member': [
        [
          'insert into `groups` (`created_at`, `display_name`, `external_id`, `id`, `updated_at`, `version`) values (?, ?, ?, ?, ?, ?)',
          ['<now>', 'g', null, '<new uuid>', '<now>', 1],
        ],
        ['select `id` from `users` where `id` in (?)', ['33333333-3333-4333-8333-333333333333']],
        ['select `id` from `groups` where `id` in (?)', ['33333333-3333-4333-8333-333333333333']],
        [
          'insert into `group_members` (`group_id`, `member_id`, `member_type`) values (?, ?, ?)',
          ['<new uuid>', '33333333-3333-4333-8333-333333333333', 'Group'],
        ],
        [
          'select `groups`.`id`, `groups`.`version`, `groups`.`created_at`, `groups`.`updated_at`, `groups`.`display_name`, `groups`.`external_id` from `groups` where `groups`.`id` = ?',
          ['<new uuid>'],
        ],
        [
          'select `group_id`, `member_id`, `member_type` from `group_members` where `group_id` in (?) order by `group_id` asc',
          ['22222222-2222-4222-8222-222222222222'],
        ],
      ],
      'replace a user (If-Match)': [
        [
          'select `id`, `version` from `users` where `users`.`id` = ?',
          ['11111111-1111-4111-8111-111111111111'],
        ],
        [
          'update `users` set `user_name` = ?, `external_id` = ?, `active` = ?, `display_name` = ?, `given_name` = ?, `family_name` = ?, `formatted_name` = ?, `title` = ?, `employee_number` = ?, `department` = ?, `manager_id` = ?, `updated_at` = ?, `version` = `version` + 1 where `id` = ?',
          [
            'bjensen',
            null,
            1,
            null,
            null,
            null,
            null,
            'T',
            null,
            null,
            null,
            '<now>',
            '11111111-1111-4111-8111-111111111111',
          ],
        ],
        ['delete from `user_emails` where `user_id` = ?', ['11111111-1111-4111-8111-111111111111']],
        ['delete from `user_phones` where `user_id` = ?', ['11111111-1111-4111-8111-111111111111']],
        [
          'select `users`.`id`, `users`.`version`, `users`.`created_at`, `users`.`updated_at`, `users`.`user_name`, `users`.`external_id`, `users`.`active`, `users`.`display_name`, `users`.`given_name`, `users`.`family_name`, `users`.`formatted_name`, `users`.`title`, `users`.`employee_number`, `users`.`department`, `users`.`manager_id`, (SELECT json_group_array(json_array(`user_emails`.`address`, `user_emails`.`kind`, `user_emails`.`is_primary`) ORDER BY `user_emails`.`address`, `user_emails`.`kind`, `user_emails`.`is_primary`) FROM `user_emails` WHERE `user_emails`.`user_id` = `users`.`id`) AS `emails_json`, (SELECT json_group_array(json_array(`user_phones`.`number`, `user_phones`.`kind`, `user_phones`.`is_primary`) ORDER BY `user_phones`.`number`, `user_phones`.`kind`, `user_phones`.`is_primary`) FROM `user_phones` WHERE `user_phones`.`user_id` = `users`.`id`) AS `phoneNumbers_json` from `users` where `users`.`id` = ?',
          ['11111111-1111-4111-8111-111111111111'],
        ],
      ],
      'patch a user attribute': [
        [
          'select `id`, `version` from `users` where `users`.`id` = ?',
          ['11111111-1111-4111-8111-111111111111'],
        ],
        [
          'select `users`.`id`, `users`.`version`, `users`.`created_at`, `users`.`updated_at`, `users`.`user_name`, `users`.`external_id`, `users`.`active`, `users`.`display_name`, `users`.`given_name`, `users`.`family_name`, `users`.`formatted_name`, `users`.`title`, `users`.`employee_number`, `users`.`department`, `users`.`manager_id`, (SELECT json_group_array(json_array(`user_emails`.`address`, `user_emails`.`kind`, `user_emails`.`is_primary`) ORDER BY `user_emails`.`address`, `user_emails`.`kind`, `user_emails`.`is_primary`) FROM `user_emails` WHERE `user_emails`.`user_id` = `users`.`id`) AS `emails_json`, (SELECT json_group_array(json_array(`user_phones`.`number`, `user_phones`.`kind`, `user_phones`.`is_primary`) ORDER BY `user_phones`.`number`, `user_phones`.`kind`, `user_phones`.`is_primary`) FROM `user_phones` WHERE `user_phones`.`user_id` = `users`.`id`) AS `phoneNumbers_json` from `users` where `users`.`id` = ?',
          ['11111111-1111-4111-8111-111111111111'],
        ],
        [
          'update `users` set `title` = ?, `updated_at` = ?, `version` = `version` + 1 where `id` = ?',
          ['T', '<now>', '11111111-1111-4111-8111-111111111111'],
        ],
        [
          'select `users`.`id`, `users`.`version`, `users`.`created_at`, `users`.`updated_at`, `users`.`user_name`, `users`.`external_id`, `users`.`active`, `users`.`display_name`, `users`.`given_name`, `users`.`family_name`, `users`.`formatted_name`, `users`.`title`, `users`.`employee_number`, `users`.`department`, `users`.`manager_id`, (SELECT json_group_array(json_array(`user_emails`.`address`, `user_emails`.`kind`, `user_emails`.`is_primary`) ORDER BY `user_emails`.`address`, `user_emails`.`kind`, `user_emails`.`is_primary`) FROM `user_emails` WHERE `user_emails`.`user_id` = `users`.`id`) AS `emails_json`, (SELECT json_group_array(json_array(`user_phones`.`number`, `user_phones`.`kind`, `user_phones`.`is_primary`) ORDER BY `user_phones`.`number`, `user_phones`.`kind`, `user_phones`.`is_primary`) FROM `user_phones` WHERE `user_phones`.`user_id` = `users`.`id`) AS `phoneNumbers_json` from `users` where `users`.`id` = ?',
          ['11111111-1111-4111-8111-111111111111'],
        ],
      ],
      'patch: add a member': [
        [
          'select `id`, `version` from `groups` where `groups`.`id` = ?',
          ['22222222-2222-4222-8222-222222222222'],
        ],
        [
          'select `member_id` from `group_members` where `group_id` = ? and `member_id` in (?)',
          ['22222222-2222-4222-8222-222222222222', '33333333-3333-4333-8333-333333333333'],
        ],
        ['select `id` from `users` where `id` in (?)', ['33333333-3333-4333-8333-333333333333']],
        ['select `id` from `groups` where `id` in (?)', ['33333333-3333-4333-8333-333333333333']],
        [
          'insert into `group_members` (`group_id`, `member_id`, `member_type`) values (?, ?, ?)',
          ['22222222-2222-4222-8222-222222222222', '33333333-3333-4333-8333-333333333333', 'Group'],
        ],
        [
          'update `groups` set `updated_at` = ?, `version` = `version` + 1 where `id` = ?',
          ['<now>', '22222222-2222-4222-8222-222222222222'],
        ],
        [
          'select `groups`.`id`, `groups`.`version`, `groups`.`created_at`, `groups`.`updated_at`, `groups`.`display_name`, `groups`.`external_id` from `groups` where `groups`.`id` = ?',
          ['22222222-2222-4222-8222-222222222222'],
        ],
      ],
      'patch: remove a member': [
        [
          'select `id`, `version` from `groups` where `groups`.`id` = ?',
          ['22222222-2222-4222-8222-222222222222'],
        ],
        [
          'delete from `group_members` where `group_id` = ? and `group_members`.`member_id` = ?',
          ['22222222-2222-4222-8222-222222222222', '33333333-3333-4333-8333-333333333333'],
        ],
        [
          'update `groups` set `updated_at` = ?, `version` = `version` + 1 where `id` = ?',
          ['<now>', '22222222-2222-4222-8222-222222222222'],
        ],
        [
          'select `groups`.`id`, `groups`.`version`, `groups`.`created_at`, `groups`.`updated_at`, `groups`.`display_name`, `groups`.`external_id` from `groups` where `groups`.`id` = ?',
          ['22222222-2222-4222-8222-222222222222'],
        ],
      ],
      'delete a user': [
        [
          'select `id`, `version` from `users` where `users`.`id` = ?',
          ['11111111-1111-4111-8111-111111111111'],
        ],
        [
          'update `users` set `manager_id` = ? where `manager_id` = ?',
          [null, '11111111-1111-4111-8111-111111111111'],
        ],
        [
          'delete from `group_members` where `member_id` = ? and `member_type` = ?',
          ['11111111-1111-4111-8111-111111111111', 'User'],
        ],
        ['delete from `user_emails` where `user_id` = ?', ['11111111-1111-4111-8111-111111111111']],
        ['delete from `user_phones` where `user_id` = ?', ['11111111-1111-4111-8111-111111111111']],
        ['delete from `users` where `id` = ?', ['11111111-1111-4111-8111-111111111111']],
      ],
    },
    reads: {
      'get a user': [
        [
          'select `users`.`id`, `users`.`version`, `users`.`created_at`, `users`.`updated_at`, `users`.`user_name`, `users`.`external_id`, `users`.`active`, `users`.`display_name`, `users`.`given_name`, `users`.`family_name`, `users`.`formatted_name`, `users`.`title`, `users`.`employee_number`, `users`.`department`, `users`.`manager_id`, (SELECT json_group_array(json_array(`user_emails`.`address`, `user_emails`.`kind`, `user_emails`.`is_primary`) ORDER BY `user_emails`.`address`, `user_emails`.`kind`, `user_emails`.`is_primary`) FROM `user_emails` WHERE `user_emails`.`user_id` = `users`.`id`) AS `emails_json`, (SELECT json_group_array(json_array(`user_phones`.`number`, `user_phones`.`kind`, `user_phones`.`is_primary`) ORDER BY `user_phones`.`number`, `user_phones`.`kind`, `user_phones`.`is_primary`) FROM `user_phones` WHERE `user_phones`.`user_id` = `users`.`id`) AS `phoneNumbers_json` from `users` where `users`.`id` = ?',
          ['11111111-1111-4111-8111-111111111111'],
        ],
      ],
      'get a user without e-mails': [
        [
          'select `users`.`id`, `users`.`version`, `users`.`created_at`, `users`.`updated_at`, `users`.`user_name`, `users`.`external_id`, `users`.`active`, `users`.`display_name`, `users`.`given_name`, `users`.`family_name`, `users`.`formatted_name`, `users`.`title`, `users`.`employee_number`, `users`.`department`, `users`.`manager_id`, (SELECT json_group_array(json_array(`user_phones`.`number`, `user_phones`.`kind`, `user_phones`.`is_primary`) ORDER BY `user_phones`.`number`, `user_phones`.`kind`, `user_phones`.`is_primary`) FROM `user_phones` WHERE `user_phones`.`user_id` = `users`.`id`) AS `phoneNumbers_json` from `users` where `users`.`id` = ?',
          ['11111111-1111-4111-8111-111111111111'],
        ],
      ],
      'a page of users (userName eq, first page: no COUNT)': [
        [
          'select `users`.`id`, `users`.`version`, `users`.`created_at`, `users`.`updated_at`, `users`.`user_name`, `users`.`external_id`, `users`.`active`, `users`.`display_name`, `users`.`given_name`, `users`.`family_name`, `users`.`formatted_name`, `users`.`title`, `users`.`employee_number`, `users`.`department`, `users`.`manager_id`, (SELECT json_group_array(json_array(`user_emails`.`address`, `user_emails`.`kind`, `user_emails`.`is_primary`) ORDER BY `user_emails`.`address`, `user_emails`.`kind`, `user_emails`.`is_primary`) FROM `user_emails` WHERE `user_emails`.`user_id` = `users`.`id`) AS `emails_json`, (SELECT json_group_array(json_array(`user_phones`.`number`, `user_phones`.`kind`, `user_phones`.`is_primary`) ORDER BY `user_phones`.`number`, `user_phones`.`kind`, `user_phones`.`is_primary`) FROM `user_phones` WHERE `user_phones`.`user_id` = `users`.`id`) AS `phoneNumbers_json` from `users` where `users`.`user_name` COLLATE NOCASE = ? order by `users`.`id` ASC limit ?',
          ['bjensen', 100],
        ],
      ],
      'a deep page of users (startIndex 1501: keys paged first, then joined back)': [
        [
          'select `users`.`id`, `users`.`version`, `users`.`created_at`, `users`.`updated_at`, `users`.`user_name`, `users`.`external_id`, `users`.`active`, `users`.`display_name`, `users`.`given_name`, `users`.`family_name`, `users`.`formatted_name`, `users`.`title`, `users`.`employee_number`, `users`.`department`, `users`.`manager_id`, (SELECT json_group_array(json_array(`user_emails`.`address`, `user_emails`.`kind`, `user_emails`.`is_primary`) ORDER BY `user_emails`.`address`, `user_emails`.`kind`, `user_emails`.`is_primary`) FROM `user_emails` WHERE `user_emails`.`user_id` = `users`.`id`) AS `emails_json`, (SELECT json_group_array(json_array(`user_phones`.`number`, `user_phones`.`kind`, `user_phones`.`is_primary`) ORDER BY `user_phones`.`number`, `user_phones`.`kind`, `user_phones`.`is_primary`) FROM `user_phones` WHERE `user_phones`.`user_id` = `users`.`id`) AS `phoneNumbers_json` from (select `users`.`id` from `users` where (EXISTS (SELECT 1 FROM `user_emails` WHERE (`user_emails`.`user_id` = `users`.`id` AND `user_emails`.`kind` COLLATE NOCASE = ?)) AND (`users`.`title` IS NOT NULL AND `users`.`title` <> ?)) order by CASE WHEN `users`.`user_name` IS NULL THEN 1 ELSE 0 END, `users`.`user_name` COLLATE NOCASE DESC, `users`.`id` DESC limit ? offset ?) as `page_keys` cross join `users` on `users`.`id` = `page_keys`.`id` order by CASE WHEN `users`.`user_name` IS NULL THEN 1 ELSE 0 END, `users`.`user_name` COLLATE NOCASE DESC, `users`.`id` DESC',
          ['work', '', 100, 1500],
        ],
        [
          'select count(*) as `total` from `users` where (EXISTS (SELECT 1 FROM `user_emails` WHERE (`user_emails`.`user_id` = `users`.`id` AND `user_emails`.`kind` COLLATE NOCASE = ?)) AND (`users`.`title` IS NOT NULL AND `users`.`title` <> ?))',
          ['work', ''],
        ],
      ],
      'get a group with its members': [
        [
          'select `groups`.`id`, `groups`.`version`, `groups`.`created_at`, `groups`.`updated_at`, `groups`.`display_name`, `groups`.`external_id` from `groups` where `groups`.`id` = ?',
          ['22222222-2222-4222-8222-222222222222'],
        ],
        [
          'select `group_id`, `member_id`, `member_type` from `group_members` where `group_id` in (?) order by `group_id` asc',
          ['22222222-2222-4222-8222-222222222222'],
        ],
      ],
      'get a group, excludedAttributes=members': [
        [
          'select `groups`.`id`, `groups`.`version`, `groups`.`created_at`, `groups`.`updated_at`, `groups`.`display_name`, `groups`.`external_id` from `groups` where `groups`.`id` = ?',
          ['22222222-2222-4222-8222-222222222222'],
        ],
      ],
    },
  },
};
