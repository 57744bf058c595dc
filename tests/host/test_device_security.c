/*
 * Who may open the device, on the host (Wine runs everything as an administrator): the security
 * descriptor the driver applies, byte for byte, evaluated by Windows' DACL rules for SYSTEM, an
 * elevated administrator, the same administrator unelevated (UAC's filtered token), a standard
 * user and an anonymous caller; every SDDL string of wdmsec.h, read by the kit's
 * IoCreateDeviceSecure, evaluated the same way; every string outside the subset refused; and
 * every request that changes the driver's state needs a handle opened for writing.
 */
#include <string.h>

#include "check.h"
#include "core/device_security.h"
#include "core/request.h"

static const uint8_t local_system[] = {1, 1, 0, 0, 0, 0, 0, 5, 18, 0, 0, 0};
static const uint8_t administrators[] = {1, 2, 0, 0, 0, 0, 0, 5, 32, 0, 0, 0, 0x20, 2, 0, 0};
static const uint8_t users[] = {1, 2, 0, 0, 0, 0, 0, 5, 32, 0, 0, 0, 0x21, 2, 0, 0};
static const uint8_t everyone[] = {1, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0};
static const uint8_t authenticated[] = {1, 1, 0, 0, 0, 0, 0, 5, 11, 0, 0, 0};
static const uint8_t anonymous[] = {1, 1, 0, 0, 0, 0, 0, 5, 7, 0, 0, 0};
static const uint8_t a_user[] = {1, 5, 0, 0, 0, 0, 0, 5, 21, 0, 0, 0, 1, 2, 3, 4,
                                 5, 6, 7, 8, 9, 10, 11, 12, 0xE9, 3, 0, 0}; /* ...-1001 */

#define ENABLED DEVICE_GROUP_ENABLED
#define DENY_ONLY DEVICE_GROUP_USE_FOR_DENY_ONLY
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* The descriptor Windows' SDDL "D:P(A;;FA;;;SY)(A;;FA;;;BA)" stands for, written out by hand. */
static void exact_bytes(const uint8_t *sd, size_t size)
{
    static const uint8_t want[] = {
        1, 0, 0x04, 0x90, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 20, 0, 0, 0, /* header */
        2, 0, 52, 0, 2, 0, 0, 0,                                             /* ACL */
        0, 0, 20, 0, 0xFF, 0x01, 0x1F, 0x00, 1, 1, 0, 0, 0, 0, 0, 5, 18, 0, 0, 0,
        0, 0, 24, 0, 0xFF, 0x01, 0x1F, 0x00, 1, 2, 0, 0, 0, 0, 0, 5, 32, 0, 0, 0, 0x20, 2, 0, 0};
    CHECK(size == sizeof(want) && memcmp(sd, want, sizeof(want)) == 0);
}

static void who_may_open(const uint8_t *sd, size_t size)
{
    const uint32_t read_write = DEVICE_FILE_GENERIC_READ | DEVICE_FILE_GENERIC_WRITE;
    const struct device_group system[] = {{local_system, ENABLED}, {administrators, ENABLED},
                                          {everyone, ENABLED}, {authenticated, ENABLED}};
    const struct device_group elevated[] = {{a_user, ENABLED}, {administrators, ENABLED},
                                            {users, ENABLED}, {everyone, ENABLED},
                                            {authenticated, ENABLED}};
    const struct device_group unelevated[] = {{a_user, ENABLED}, {administrators, DENY_ONLY},
                                              {users, ENABLED}, {everyone, ENABLED},
                                              {authenticated, ENABLED}};
    const struct device_group standard[] = {{a_user, ENABLED}, {users, ENABLED},
                                            {everyone, ENABLED}, {authenticated, ENABLED}};
    const struct device_group nobody[] = {{anonymous, ENABLED}, {everyone, ENABLED}};
    const struct device_group disabled_admin[] = {{a_user, ENABLED}, {administrators, 0}};

    CHECK(device_security_allows(sd, size, system, COUNT(system), read_write));
    CHECK(device_security_allows(sd, size, elevated, COUNT(elevated), read_write));
    CHECK(device_security_allows(sd, size, elevated, COUNT(elevated), DEVICE_FILE_ALL_ACCESS));
    CHECK(!device_security_allows(sd, size, unelevated, COUNT(unelevated),
                                  DEVICE_FILE_GENERIC_READ));
    CHECK(!device_security_allows(sd, size, standard, COUNT(standard), DEVICE_FILE_GENERIC_READ));
    CHECK(!device_security_allows(sd, size, standard, COUNT(standard), DEVICE_FILE_READ_DATA));
    CHECK(!device_security_allows(sd, size, standard, COUNT(standard), 0x80)); /* attributes */
    CHECK(!device_security_allows(sd, size, nobody, COUNT(nobody), DEVICE_FILE_READ_DATA));
    CHECK(!device_security_allows(sd, size, disabled_admin, COUNT(disabled_admin),
                                  DEVICE_FILE_READ_DATA));
}

/* The evaluator itself, on descriptors made to show each rule. */
static void evaluator(const uint8_t *sd, size_t size)
{
    const struct device_group standard[] = {{a_user, ENABLED}, {everyone, ENABLED}};
    uint8_t copy[DEVICE_SECURITY_DESCRIPTOR_MAX];

    memcpy(copy, sd, size);
    copy[2] &= (uint8_t)~0x04; /* no DACL at all: everyone may */
    CHECK(device_security_allows(copy, size, standard, COUNT(standard), DEVICE_FILE_READ_DATA));
    memcpy(copy, sd, size);
    memset(copy + 16, 0, 4); /* a NULL DACL: everyone may; the reason never to pass one */
    CHECK(device_security_allows(copy, size, standard, COUNT(standard), DEVICE_FILE_READ_DATA));
    memcpy(copy, sd, size);
    copy[20 + 4] = 0; /* an empty DACL: nobody may */
    const struct device_group admin[] = {{administrators, ENABLED}};
    CHECK(!device_security_allows(copy, size, admin, COUNT(admin), DEVICE_FILE_READ_DATA));
    memcpy(copy, sd, size);
    copy[20 + 8 + 20] = 1; /* the Administrators ACE made a deny ACE */
    CHECK(!device_security_allows(copy, size, admin, COUNT(admin), DEVICE_FILE_READ_DATA));
    const struct device_group system[] = {{local_system, ENABLED}};
    CHECK(device_security_allows(copy, size, system, COUNT(system), DEVICE_FILE_READ_DATA));
    CHECK(!device_security_allows(sd, size - 1, admin, COUNT(admin), DEVICE_FILE_READ_DATA));
}

/* An SDDL string as IoCreateDeviceSecure gets it: UTF-16, no terminator. */
static size_t from_sddl(const char *text, uint8_t *sd, size_t size)
{
    uint16_t wide[512];
    size_t count = 0;

    for (const char *c = text; *c && count < COUNT(wide); c++)
        wide[count++] = (uint8_t)*c;
    return device_security_from_sddl(wide, count, sd, size);
}

#define READ DEVICE_FILE_GENERIC_READ
#define WRITE DEVICE_FILE_GENERIC_WRITE
#define EXECUTE DEVICE_FILE_GENERIC_EXECUTE
#define DAC DEVICE_WRITE_DAC

/* wdmsec.h's strings (as src/runtime/compat/wdmsec.c defines them) and, for each caller, the
 * rights they get among READ, WRITE, EXECUTE and DAC. */
static void wdmsec_strings(void)
{
    const struct device_group system[] = {{local_system, ENABLED}, {administrators, ENABLED},
                                          {everyone, ENABLED}, {authenticated, ENABLED}};
    const struct device_group elevated[] = {{a_user, ENABLED}, {administrators, ENABLED},
                                            {users, ENABLED}, {everyone, ENABLED},
                                            {authenticated, ENABLED}};
    const struct device_group unelevated[] = {{a_user, ENABLED}, {administrators, DENY_ONLY},
                                              {users, ENABLED}, {everyone, ENABLED},
                                              {authenticated, ENABLED}};
    const struct device_group standard[] = {{a_user, ENABLED}, {users, ENABLED},
                                            {everyone, ENABLED}, {authenticated, ENABLED}};
    const struct device_group nobody[] = {{anonymous, ENABLED}};
    const struct {
        const struct device_group *groups;
        size_t count;
    } callers[] = {{system, COUNT(system)},         {elevated, COUNT(elevated)},
                   {unelevated, COUNT(unelevated)}, {standard, COUNT(standard)},
                   {nobody, COUNT(nobody)}};
    static const struct {
        const char *name, *sddl;
        /* Bits 0 to 3: READ, WRITE, EXECUTE, DAC allowed to SYSTEM, an elevated
         * administrator, the same unelevated, a standard user, an anonymous caller. */
        uint32_t rights[5];
    } strings[] = {
        {"KERNEL_ONLY", "D:P", {0, 0, 0, 0, 0}},
        {"SYS_ALL", "D:P(A;;GA;;;SY)", {0xF, 0, 0, 0, 0}},
        {"SYS_ALL_ADM_ALL", "D:P(A;;GA;;;SY)(A;;GA;;;BA)", {0xF, 0xF, 0, 0, 0}},
        {"SYS_ALL_ADM_RX", "D:P(A;;GA;;;SY)(A;;GRGX;;;BA)", {0xF, 0x5, 0, 0, 0}},
        {"SYS_ALL_ADM_RWX_WORLD_R", "D:P(A;;GA;;;SY)(A;;GRGWGX;;;BA)(A;;GR;;;WD)",
         {0xF, 0x7, 0x1, 0x1, 0}},
        {"SYS_ALL_ADM_RWX_WORLD_R_RES_R",
         "D:P(A;;GA;;;SY)(A;;GRGWGX;;;BA)(A;;GR;;;WD)(A;;GR;;;RC)", {0xF, 0x7, 0x1, 0x1, 0}},
        {"SYS_ALL_ADM_RWX_WORLD_RW_RES_R",
         "D:P(A;;GA;;;SY)(A;;GRGWGX;;;BA)(A;;GRGW;;;WD)(A;;GR;;;RC)", {0xF, 0x7, 0x3, 0x3, 0}},
        {"SYS_ALL_ADM_RWX_WORLD_RWX_RES_RWX",
         "D:P(A;;GA;;;SY)(A;;GRGWGX;;;BA)(A;;GRGWGX;;;WD)(A;;GRGWGX;;;RC)",
         {0xF, 0x7, 0x7, 0x7, 0}},
    };
    const uint32_t wanted[4] = {READ, WRITE, EXECUTE, DAC};

    for (size_t i = 0; i < COUNT(strings); i++) {
        uint8_t sd[DEVICE_SECURITY_DESCRIPTOR_MAX];
        size_t size = from_sddl(strings[i].sddl, sd, sizeof(sd));
        CHECK(size > 0);
        CHECK_EQ(from_sddl(strings[i].sddl, sd, size - 1), 0); /* one byte short: refused */
        CHECK_EQ(from_sddl(strings[i].sddl, sd, size), size);
        for (size_t c = 0; c < COUNT(callers); c++) {
            uint32_t got = 0;
            for (size_t w = 0; w < 4; w++)
                if (device_security_allows(sd, size, callers[c].groups, callers[c].count,
                                           wanted[w]))
                    got |= 1u << w;
            if (got != strings[i].rights[c])
                fprintf(stderr, "SDDL_DEVOBJ_%s, caller %zu: ", strings[i].name, c);
            CHECK_EQ(got, strings[i].rights[c]);
        }
    }
}

/* One of them written out by hand: generic rights mapped to file rights, SIDs in order. */
static void wdmsec_exact_bytes(void)
{
    static const uint8_t want[] = {
        1, 0, 0x04, 0x90, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 20, 0, 0, 0, /* header */
        2, 0, 92, 0, 4, 0, 0, 0,                                             /* ACL: 4 ACEs */
        0, 0, 20, 0, 0xFF, 0x01, 0x1F, 0x00, 1, 1, 0, 0, 0, 0, 0, 5, 18, 0, 0, 0, /* GA SY */
        0, 0, 24, 0, 0xBF, 0x01, 0x12, 0x00, 1, 2, 0, 0, 0, 0, 0, 5, 32, 0, 0, 0, 0x20, 2, 0,
        0,                                                                   /* GRGWGX BA */
        0, 0, 20, 0, 0x89, 0x00, 0x12, 0x00, 1, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, /* GR WD */
        0, 0, 20, 0, 0x89, 0x00, 0x12, 0x00, 1, 1, 0, 0, 0, 0, 0, 5, 12, 0, 0, 0}; /* GR RC */
    uint8_t sd[DEVICE_SECURITY_DESCRIPTOR_MAX];
    size_t size =
        from_sddl("D:P(A;;GA;;;SY)(A;;GRGWGX;;;BA)(A;;GR;;;WD)(A;;GR;;;RC)", sd, sizeof(sd));

    CHECK_EQ(size, sizeof(want));
    CHECK(size == sizeof(want) && memcmp(sd, want, sizeof(want)) == 0);
}

/* Hex access masks, the other aliases and the S-1-... form. */
static void sddl_forms(void)
{
    uint8_t sd[DEVICE_SECURITY_DESCRIPTOR_MAX], other[DEVICE_SECURITY_DESCRIPTOR_MAX];
    size_t size = from_sddl("D:P(A;;0x1f01ff;;;S-1-5-18)(A;;0x10000000;;;S-1-5-32-544)", sd,
                            sizeof(sd));

    /* The same descriptor as minwdm's own: GENERIC_ALL mapped, the SIDs the same. */
    CHECK_EQ(size, device_security_descriptor(other, sizeof(other)));
    CHECK(size && memcmp(sd, other, size) == 0);
    /* RC SD WD WO: READ_CONTROL, DELETE, WRITE_DAC, WRITE_OWNER. */
    size = from_sddl("D:P(A;;RCSDWDWO;;;BU)", sd, sizeof(sd));
    CHECK_EQ(size, 20 + 8 + 8 + 16);
    CHECK_EQ(sd[20 + 8 + 4] | sd[20 + 8 + 5] << 8 | sd[20 + 8 + 6] << 16 | sd[20 + 8 + 7] << 24,
             0x000F0000u);
    /* UD: S-1-5-84-0-0-0-0-0, six sub-authorities. */
    size = from_sddl("D:P(A;;GR;;;UD)", sd, sizeof(sd));
    CHECK_EQ(size, 20 + 8 + 8 + 8 + 4 * 6);
    CHECK_EQ(sd[20 + 8 + 8 + 1], 6);
    CHECK_EQ(sd[20 + 8 + 8 + 8], 84);
    /* A 48-bit identifier authority, big-endian; fifteen sub-authorities, the most a SID has. */
    size = from_sddl("D:P(A;;GR;;;S-1-281474976710655-1-2-3-4-5-6-7-8-9-10-11-12-13-14-"
                     "4294967295)", sd, sizeof(sd));
    CHECK_EQ(size, 20 + 8 + 8 + 8 + 4 * 15);
    CHECK(sd[20 + 8 + 8 + 2] == 0xFF && sd[20 + 8 + 8 + 7] == 0xFF);
    /* Every alias of the subset is known. */
    static const char *const aliases[] = {"SY", "LS", "NS", "BA", "BU", "BG", "AU",
                                          "AN", "IU", "NU", "WD", "RC", "UD"};
    for (size_t i = 0; i < COUNT(aliases); i++) {
        char text[32];
        snprintf(text, sizeof(text), "D:P(A;;GA;;;%s)", aliases[i]);
        CHECK(from_sddl(text, sd, sizeof(sd)) > 0);
    }
    /* A standard user allowed by BU, refused write by a read-only grant. */
    const struct device_group standard[] = {{a_user, ENABLED}, {users, ENABLED}};
    size = from_sddl("D:P(A;;GR;;;BU)", sd, sizeof(sd));
    CHECK(device_security_allows(sd, size, standard, COUNT(standard), READ));
    CHECK(!device_security_allows(sd, size, standard, COUNT(standard), WRITE));
}

/* "D:P" and count times ace, in text (size bytes). */
static void repeat(char *text, size_t size, const char *ace, unsigned count)
{
    int used = snprintf(text, size, "D:P");

    for (unsigned i = 0; i < count && used > 0 && (size_t)used < size; i++)
        used += snprintf(text + used, size - (size_t)used, "%s", ace);
}

/* Outside the subset: refused, never built with something dropped or widened. The longest
 * descriptor fits DEVICE_SECURITY_DESCRIPTOR_MAX. */
static void sddl_refused(void)
{
    static const char *const refused[] = {
        "",                                     /* nothing */
        "D:",                                   /* not protected: would inherit \Device's ACEs */
        "D:(A;;GA;;;SY)",                       /* the same */
        "D:PAI(A;;GA;;;SY)",                    /* auto-inherited */
        "O:BAD:P(A;;GA;;;SY)",                  /* an owner */
        "D:P(A;;GA;;;SY)S:(ML;;NW;;;LW)",       /* a SACL */
        "D:P(D;;GA;;;WD)",                      /* a deny ACE */
        "D:P(OA;;GA;;;SY)",                     /* an object ACE */
        "D:P(A;OICI;GA;;;SY)",                  /* inheritance flags */
        "D:P(A;;GA;;;SY",                       /* unterminated */
        "D:P(A;;GA;;;SY))",                     /* trailing text */
        "D:P(A;;GA;;;SY) ",                     /* even a blank */
        "D:P(A;;;;;SY)",                        /* no rights */
        "D:P(A;;FA;;;SY)",                      /* file rights: not in the subset */
        "D:P(A;;ga;;;SY)",                      /* lower case */
        "D:P(A;;GAX;;;SY)",                     /* half a code */
        "D:P(A;;0x;;;SY)",                      /* no hex digits */
        "D:P(A;;0x123456789;;;SY)",             /* more than 32 bits */
        "D:P(A;;GA;;;XX)",                      /* an unknown alias */
        "D:P(A;;GA;;;)",                        /* no SID */
        "D:P(A;;GA;;;S-1-5)",                   /* no sub-authority */
        "D:P(A;;GA;;;S-1-281474976710656-1)",   /* authority over 48 bits */
        "D:P(A;;GA;;;S-1-5-4294967296)",        /* sub-authority over 32 bits */
        "D:P(A;;GA;;;S-1-5-1-2-3-4-5-6-7-8-9-10-11-12-13-14-15-16)", /* sixteen */
        "D:P(A;;GA;;;S-2-5-18)",                /* SID revision 2 */
        "D:P(A;;GA;;;S-1--18)",                 /* a missing number */
    };
    uint8_t sd[DEVICE_SECURITY_DESCRIPTOR_MAX];
    char many[4 + 12 * (DEVICE_SECURITY_MAX_ACES + 1)], longest[4 + 64 * DEVICE_SECURITY_MAX_ACES];

    /* The most ACEs, then one more; the most ACEs with the longest SIDs. */
    repeat(many, sizeof(many), "(A;;GA;;;SY)", DEVICE_SECURITY_MAX_ACES);
    CHECK(from_sddl(many, sd, sizeof(sd)) > 0);
    repeat(many, sizeof(many), "(A;;GA;;;SY)", DEVICE_SECURITY_MAX_ACES + 1);
    CHECK_EQ(from_sddl(many, sd, sizeof(sd)), 0);
    repeat(longest, sizeof(longest), "(A;;GA;;;S-1-5-1-2-3-4-5-6-7-8-9-10-11-12-13-14-15)",
           DEVICE_SECURITY_MAX_ACES);
    CHECK_EQ(from_sddl(longest, sd, sizeof(sd)), DEVICE_SECURITY_DESCRIPTOR_MAX);

    for (size_t i = 0; i < COUNT(refused); i++) {
        size_t size = from_sddl(refused[i], sd, sizeof(sd));
        if (size)
            fprintf(stderr, "built from \"%s\": ", refused[i]);
        CHECK_EQ(size, 0);
    }
    CHECK_EQ(device_security_from_sddl(NULL, 3, sd, sizeof(sd)), 0);
    CHECK_EQ(from_sddl("D:P", NULL, 64), 0);
    CHECK_EQ(from_sddl("D:P", sd, 27), 0);
    /* Every cut of a valid string is either a whole descriptor (at an ACE's end) or refused,
     * and never read past (ASan). */
    const char *whole = "D:P(A;;GA;;;SY)(A;;GRGWGX;;;S-1-5-32-544)(A;;0x1200a9;;;WD)";
    for (size_t cut = 0; cut <= strlen(whole); cut++) {
        uint16_t wide[128] = {0};
        for (size_t i = 0; i < cut; i++)
            wide[i] = (uint8_t)whole[i];
        size_t size = device_security_from_sddl(wide, cut, sd, sizeof(sd));
        int boundary = cut == 3 || (cut > 3 && whole[cut - 1] == ')');
        CHECK(boundary ? size > 0 : size == 0);
    }
    /* A character outside ASCII where an alias is expected. */
    uint16_t wide[] = {'D', ':', 'P', '(', 'A', ';', ';', 'G', 'A', ';', ';', ';', 0x0153, 'Y', ')'};
    CHECK_EQ(device_security_from_sddl(wide, COUNT(wide), sd, sizeof(sd)), 0);
}

static void request_access(void)
{
    static const uint32_t codes[] = {
        IOCTL_MINWDM_GET_VERSION, IOCTL_MINWDM_ECHO,     IOCTL_MINWDM_GET_STATS,
        IOCTL_MINWDM_SELFTEST,    IOCTL_MINWDM_FAIL_ALLOC, IOCTL_MINWDM_BENCH,
        IOCTL_MINWDM_READ_LOG,    IOCTL_MINWDM_SET_LOG_LEVEL};
    unsigned served = 0;

    for (size_t i = 0; i < COUNT(codes); i++) {
        int changes = minwdm_request_changes_state(codes[i]);
        uint32_t access = (codes[i] >> 14) & 3u;
        CHECK(changes >= 0);
        /* The tightest access: state changes need write access, reads need read access only. */
        CHECK(changes ? (access & MINWDM_FILE_WRITE_ACCESS) != 0
                      : access == MINWDM_FILE_READ_ACCESS);
        served += changes >= 0;
    }
    CHECK_EQ(served, COUNT(codes));
    CHECK(minwdm_request_changes_state(0x12345678u) < 0);
    CHECK(minwdm_request_changes_state(IOCTL_MINWDM_ECHO ^ 0xC000u) < 0); /* other access bits */
}

int main(void)
{
    uint8_t sd[DEVICE_SECURITY_DESCRIPTOR_MAX];
    size_t size = device_security_descriptor(sd, sizeof(sd));

    CHECK(size > 0 && size <= sizeof(sd));
    CHECK_EQ(device_security_descriptor(sd, size - 1), 0);
    size = device_security_descriptor(sd, sizeof(sd));
    exact_bytes(sd, size);
    who_may_open(sd, size);
    evaluator(sd, size);
    wdmsec_strings();
    wdmsec_exact_bytes();
    sddl_forms();
    sddl_refused();
    request_access();
    return check_done("test_device_security");
}
