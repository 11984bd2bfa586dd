package io.syncexec.standins;

import java.nio.file.Path;

/**
 * What dynalite 4.0.0 lacks and the project relies on, added to the node process before dynalite
 * starts (a {@code --require} preload, so the npm package stays as published):
 * <ul>
 * <li>{@code ReturnValuesOnConditionCheckFailure} on PutItem, UpdateItem and DeleteItem. dynalite
 *     drops the parameter (its validation keeps only the fields it knows) and answers a failed
 *     condition without the item. DynamoDB, given {@code ALL_OLD}, puts the item as the condition
 *     saw it in the {@code ConditionalCheckFailedException}'s {@code Item}, and no {@code Item}
 *     when there was none. The patch accepts the parameter ({@code ALL_OLD} or {@code NONE}, as
 *     DynamoDB does) and adds the item that dynalite checked the condition against, under the
 *     item's lock: the item the write saw, not one read later.</li>
 * </ul>
 */
final class DynalitePatches {
    private static final String SCRIPT = """
            (function () {
              const dir = %s;
              const db = require(dir + '/db');
              const option = { type: 'String', enum: [ 'ALL_OLD', 'NONE' ] };
              for (const action of [ 'putItem', 'updateItem', 'deleteItem' ]) {
                require(dir + '/validations/' + action).types.ReturnValuesOnConditionCheckFailure = option;
              }
              const check = db.checkConditional;
              db.checkConditional = function (data, existingItem) {
                const failed = check.apply(this, arguments);
                if (failed && failed.body && existingItem && data.ReturnValuesOnConditionCheckFailure === 'ALL_OLD') {
                  failed.body.Item = existingItem;
                }
                return failed;
              };
            })();
            """;

    private DynalitePatches() {
    }

    /** The preload's JavaScript for the dynalite package in {@code dynaliteDir} (the folder of its cli.js). */
    static String script(Path dynaliteDir) {
        return SCRIPT.formatted(jsString(dynaliteDir.toAbsolutePath().toString()));
    }

    private static String jsString(String value) {
        StringBuilder quoted = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            if (c == '"' || c == '\\') {
                quoted.append('\\').append(c);
            } else if (c < 0x20) {
                quoted.append(String.format("\\u%04x", (int) c));
            } else {
                quoted.append(c);
            }
        }
        return quoted.append('"').toString();
    }
}
