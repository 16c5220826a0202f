/* Consent channels and the checks on purpose codes and texts (see consent.h).
 * Room: model. */
#include "model/consent.h"

#include <string.h>

static const char *const channels[_PRIVACY_CHANNEL_MAX] = {
        [PRIVACY_CHANNEL_WEB] = "web",
        [PRIVACY_CHANNEL_EMAIL] = "email",
        [PRIVACY_CHANNEL_PHONE] = "phone",
        [PRIVACY_CHANNEL_LETTER] = "letter",
        [PRIVACY_CHANNEL_IN_PERSON] = "in_person",
        [PRIVACY_CHANNEL_API] = "api",
};

const char privacy_channel_list[] = "web, email, phone, letter, in_person, api";

const char *privacy_channel_to_string(enum privacy_channel c)
{
	return (unsigned)c < _PRIVACY_CHANNEL_MAX ? channels[c] : NULL;
}

enum privacy_channel privacy_channel_from_string(const char *s)
{
	for (int i = 0; s && i < _PRIVACY_CHANNEL_MAX; i++)
		if (strcmp(channels[i], s) == 0)
			return (enum privacy_channel)i;
	return _PRIVACY_CHANNEL_INVALID;
}

bool consent_purpose_valid(const char *s)
{
	if (!s || !(*s >= 'a' && *s <= 'z'))
		return false;
	size_t n = 0;
	for (const char *p = s; *p; p++, n++) {
		char c = *p;
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.'))
			return false;
	}
	return n <= CONSENT_MAX_PURPOSE;
}

bool consent_text_valid(const char *s, size_t max, bool multiline)
{
	if (!s || !*s)
		return false;
	size_t n = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++, n++) {
		if (*p == 0x7f || (*p < 0x20 && !(multiline && (*p == '\n' || *p == '\t' || *p == '\r'))))
			return false;
	}
	return n <= max;
}
