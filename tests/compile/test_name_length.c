/* MINWDM_TEST names: 63 characters compile, 64 do not (the control device carries 63 bytes and
 * a NUL): the tests compile.test_name_63 and compile.test_name_64 (tests/CMakeLists.txt). */
#include <minwdm/test.h>

#ifdef TOO_LONG
MINWDM_TEST(a_test_name_of_sixty_four_characters_is_one_too_many_for_minwdm_)
#else
MINWDM_TEST(a_test_name_of_sixty_three_characters_is_the_longest_one_allowd)
#endif
{
}
