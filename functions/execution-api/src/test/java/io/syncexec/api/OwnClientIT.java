package io.syncexec.api;

import io.syncexec.standins.StandIns;
import io.syncexec.standins.StandInsExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Map;

import static io.syncexec.api.ApiHarness.operator;

/**
 * What the API tests share: the real handler against dynalite ({@link ApiHarness}), a new client of
 * each test's own with its two syncs ({@link ApiHarness#newClient()}), and that client's operator.
 */
@ExtendWith(StandInsExtension.class)
abstract class OwnClientIT {
    protected ApiHarness api;
    protected String client;
    /** {@code /clients/{client}/syncs}. */
    protected String base;
    /** The claims of the client's operator. */
    protected Map<String, String> op;

    @BeforeEach
    void newClient(StandIns standIns) {
        api = new ApiHarness(standIns);
        beforeTheClient(api);
        client = api.newClient();
        base = "/clients/" + client + "/syncs";
        op = operator(client);
    }

    /** What a test class does before its client is made (e.g. move the harness's clock). */
    protected void beforeTheClient(ApiHarness harness) {
    }
}
